import * as grpc from '@grpc/grpc-js';
import {
  type AppendReq,
  anyPb,
  type BatchAppendReq,
  type BatchOptions,
  codePb,
  type Expected,
  emptyPb,
  type FakeRecord,
  featuresGrpc,
  featuresPb,
  type Outcome,
  proposedRecord,
  type ReadReq,
  type ReadResp,
  readResponse,
  sharedPb,
  status,
  streamName,
  streamsGrpc,
  streamsPb,
  unimplemented,
  unimplementedError,
} from './fake-kurrentdb-messages.js';

export type { FakeRecord } from './fake-kurrentdb-messages.js';

/**
 * A stand-in KurrentDB for tests: a gRPC server on loopback that speaks the Streams service of the
 * real wire protocol (the client package's own generated messages), in memory. It implements what
 * the KurrentDB event store calls — BatchAppend and Append with an expected revision, Read of one
 * stream forwards and backwards, Read of `$all` forwards and backwards from a position — and
 * ServerFeatures. It does not implement subscriptions, filters, links, deletes, security or
 * clustering, and it shares none of the real server's code: it proves the adapter's use of the
 * client and of this protocol, not how KurrentDB itself behaves.
 */
export interface FakeKurrentDb {
  /** `kurrentdb://127.0.0.1:<port>?tls=false` */
  connectionString: string;
  /** The events of a stream by revision; a removed one is `undefined` (a gap the real server never has). */
  stream(name: string): (FakeRecord | undefined)[] | undefined;
  /** How many appends each RPC carried, so a spec can tell which one the client chose. */
  appends: { append: number; batchAppend: number };
  close(): Promise<void>;
}

const ALL_STREAM = '$all';
const POSITION_STEP = 128n;

export interface FakeKurrentDbOptions {
  /**
   * Advertise `Streams.BatchAppend` in ServerFeatures and serve it, as KurrentDB servers do: the
   * client then appends through it. Off: the client falls back to `Streams.Append`.
   */
  batchAppend?: boolean;
}

export async function startFakeKurrentDb(options: FakeKurrentDbOptions = {}): Promise<FakeKurrentDb> {
  const streams = new Map<string, (FakeRecord | undefined)[]>();
  /** Every event in commit order, as `$all` reads it. */
  const log: { stream: string; revision: number }[] = [];
  const server = new grpc.Server();
  const appends = { append: 0, batchAppend: 0 };

  /** Appends when the stream is as expected: the one place both append RPCs decide. */
  const commit = (name: string, expected: Expected, proposed: FakeRecord[]): Outcome => {
    const records = streams.get(name);
    const current = records ? records.length - 1 : -1;
    const wrong =
      (typeof expected === 'object' && expected.revision !== BigInt(current)) ||
      (expected === 'no_stream' && current !== -1) ||
      (expected === 'stream_exists' && current === -1);
    if (wrong) return { wrong: true, current };
    const target = records ?? [];
    streams.set(name, target);
    for (const record of proposed) {
      record.position = BigInt(log.length + 1) * POSITION_STEP;
      log.push({ stream: name, revision: target.length });
      target.push(record);
    }
    return { current: target.length - 1, position: target.at(-1)?.position };
  };

  const batchAppendResponse = (
    req: BatchAppendReq,
    header: BatchOptions | undefined,
    proposed: FakeRecord[],
  ) => {
    const response = new streamsPb.BatchAppendResp();
    response.setCorrelationId(req.getCorrelationId());
    if (!header) {
      response.setError(status(codePb.Code.INVALID_ARGUMENT, 'append without options'));
      return response;
    }
    response.setStreamIdentifier(header.getStreamIdentifier());
    const cases = streamsPb.BatchAppendReq.Options.ExpectedStreamPositionCase;
    const expectedCase = header.getExpectedStreamPositionCase();
    const expected: Expected =
      expectedCase === cases.STREAM_POSITION
        ? { revision: BigInt(header.getStreamPosition()) }
        : expectedCase === cases.NO_STREAM
          ? 'no_stream'
          : expectedCase === cases.STREAM_EXISTS
            ? 'stream_exists'
            : 'any';
    const outcome = commit(streamName(header.getStreamIdentifier()), expected, proposed);
    if ('wrong' in outcome) {
      const mismatch = new sharedPb.WrongExpectedVersion();
      if (outcome.current < 0) mismatch.setCurrentNoStream(new emptyPb.Empty());
      else mismatch.setCurrentStreamRevision(String(outcome.current));
      if (typeof expected === 'object') mismatch.setExpectedStreamPosition(expected.revision.toString());
      else if (expected === 'no_stream') mismatch.setExpectedNoStream(new emptyPb.Empty());
      else if (expected === 'stream_exists') mismatch.setExpectedStreamExists(new emptyPb.Empty());
      else mismatch.setExpectedAny(new emptyPb.Empty());
      const details = new anyPb.Any();
      details.pack(mismatch.serializeBinary(), 'event_store.client.WrongExpectedVersion');
      response.setError(status(codePb.Code.FAILED_PRECONDITION, 'wrong expected version', details));
      return response;
    }
    const success = new streamsPb.BatchAppendResp.Success();
    if (outcome.current < 0) success.setNoStream(new emptyPb.Empty());
    else success.setCurrentRevision(String(outcome.current));
    if (outcome.position === undefined) success.setNoPosition(new emptyPb.Empty());
    else {
      const position = new sharedPb.AllStreamPosition();
      position.setCommitPosition(outcome.position.toString());
      position.setPreparePosition(outcome.position.toString());
      success.setPosition(position);
    }
    response.setSuccess(success);
    return response;
  };

  server.addService(featuresGrpc.ServerFeaturesService, {
    getSupportedMethods: (
      _call: grpc.ServerUnaryCall<unknown, unknown>,
      callback: grpc.sendUnaryData<unknown>,
    ) => {
      const methods = new featuresPb.SupportedMethods();
      methods.setEventStoreServerVersion('0.0.0-fake');
      if (options.batchAppend) {
        const method = new featuresPb.SupportedMethod();
        method.setServiceName('event_store.client.streams.Streams');
        method.setMethodName('BatchAppend');
        methods.addMethods(method);
      }
      callback(null, methods);
    },
  });

  server.addService(streamsGrpc.StreamsService, {
    append: (call: grpc.ServerReadableStream<AppendReq, unknown>, callback: grpc.sendUnaryData<unknown>) => {
      let header: InstanceType<typeof streamsPb.AppendReq.Options> | undefined;
      const proposed: FakeRecord[] = [];
      call.on('data', (req: AppendReq) => {
        if (req.hasOptions()) header = req.getOptions();
        else if (req.hasProposedMessage()) proposed.push(proposedRecord(req.getProposedMessage()!));
      });
      call.on('error', () => {});
      call.on('end', () => {
        if (!header) {
          callback({ code: grpc.status.INVALID_ARGUMENT, details: 'append without options' });
          return;
        }
        const cases = streamsPb.AppendReq.Options.ExpectedStreamRevisionCase;
        const expectedCase = header.getExpectedStreamRevisionCase();
        const expected: Expected =
          expectedCase === cases.REVISION
            ? { revision: BigInt(header.getRevision()) }
            : expectedCase === cases.NO_STREAM
              ? 'no_stream'
              : expectedCase === cases.STREAM_EXISTS
                ? 'stream_exists'
                : 'any';
        appends.append += 1;
        const outcome = commit(streamName(header.getStreamIdentifier()), expected, proposed);
        const response = new streamsPb.AppendResp();
        if ('wrong' in outcome) {
          const mismatch = new streamsPb.AppendResp.WrongExpectedVersion();
          if (outcome.current < 0) mismatch.setCurrentNoStream(new sharedPb.Empty());
          else mismatch.setCurrentRevision(String(outcome.current));
          if (typeof expected === 'object') mismatch.setExpectedRevision(expected.revision.toString());
          else if (expected === 'no_stream') mismatch.setExpectedNoStream(new sharedPb.Empty());
          else if (expected === 'stream_exists') mismatch.setExpectedStreamExists(new sharedPb.Empty());
          else mismatch.setExpectedAny(new sharedPb.Empty());
          response.setWrongExpectedVersion(mismatch);
        } else {
          const success = new streamsPb.AppendResp.Success();
          if (outcome.current < 0) success.setNoStream(new sharedPb.Empty());
          else success.setCurrentRevision(String(outcome.current));
          if (outcome.position === undefined) success.setNoPosition(new sharedPb.Empty());
          else {
            const position = new streamsPb.AppendResp.Position();
            position.setCommitPosition(outcome.position.toString());
            position.setPreparePosition(outcome.position.toString());
            success.setPosition(position);
          }
          response.setSuccess(success);
        }
        callback(null, response);
      });
    },

    batchAppend: (call: grpc.ServerDuplexStream<BatchAppendReq, unknown>) => {
      if (!options.batchAppend) {
        call.destroy(unimplementedError('batch append is switched off'));
        return;
      }
      // One request per chunk; the chunks of an append share a correlation id, the first holds the options.
      const pending = new Map<string, { header?: BatchOptions; proposed: FakeRecord[] }>();
      call.on('data', (req: BatchAppendReq) => {
        const correlation = req.getCorrelationId()?.getString() ?? '';
        const entry = pending.get(correlation) ?? { proposed: [] };
        pending.set(correlation, entry);
        if (req.hasOptions()) entry.header = req.getOptions();
        for (const message of req.getProposedMessagesList()) entry.proposed.push(proposedRecord(message));
        if (!req.getIsFinal()) return;
        pending.delete(correlation);
        appends.batchAppend += 1;
        call.write(batchAppendResponse(req, entry.header, entry.proposed));
      });
      call.on('error', () => {});
      call.on('end', () => call.end());
    },

    read: (call: grpc.ServerWritableStream<ReadReq, ReadResp>) => {
      const options = call.request.getOptions();
      if (!options || options.hasSubscription()) {
        call.destroy(unimplementedError('subscriptions are not faked'));
        return;
      }
      const structured = options.getUuidOption()?.hasStructured() ?? false;
      const forwards = options.getReadDirection() === streamsPb.ReadReq.Options.ReadDirection.FORWARDS;
      const count = options.hasCount() ? Number(BigInt(options.getCount())) : Number.MAX_SAFE_INTEGER;
      const picked: { stream: string; revision: number; record: FakeRecord }[] = [];
      if (options.hasStream()) {
        const streamOptions = options.getStream()!;
        const name = Buffer.from(streamOptions.getStreamIdentifier()?.getStreamName_asU8() ?? []).toString(
          'utf8',
        );
        const records = streams.get(name);
        if (!records) {
          const response = new streamsPb.ReadResp();
          const notFound = new streamsPb.ReadResp.StreamNotFound();
          notFound.setStreamIdentifier(streamOptions.getStreamIdentifier());
          response.setStreamNotFound(notFound);
          call.write(response);
          call.end();
          return;
        }
        let from: number;
        if (streamOptions.hasRevision()) from = Number(BigInt(streamOptions.getRevision()));
        else if (streamOptions.hasEnd()) from = forwards ? records.length : records.length - 1;
        else from = forwards ? 0 : records.length - 1;
        const step = forwards ? 1 : -1;
        if (!forwards) from = Math.min(from, records.length - 1);
        for (let r = from; r >= 0 && r < records.length && picked.length < count; r += step) {
          const record = records[r];
          if (record) picked.push({ stream: name, revision: r, record });
        }
      } else {
        const all = options.getAll();
        const at = all?.hasPosition() ? BigInt(all.getPosition()!.getCommitPosition()) : undefined;
        const entries = log
          .map((entry) => ({ ...entry, record: streams.get(entry.stream)?.[entry.revision] }))
          .filter(
            (e): e is { stream: string; revision: number; record: FakeRecord } => e.record !== undefined,
          );
        const ordered = forwards ? entries : entries.reverse();
        for (const entry of ordered) {
          if (picked.length >= count) break;
          if (all?.hasEnd() && forwards) break;
          if (at !== undefined && (forwards ? entry.record.position < at : entry.record.position >= at))
            continue;
          picked.push(entry);
        }
      }
      for (const { stream, revision, record } of picked)
        call.write(readResponse(stream, revision, record, structured));
      call.end();
    },

    delete: unimplemented,
    tombstone: unimplemented,
  });

  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (error, bound) =>
      error ? reject(error) : resolve(bound),
    ),
  );

  return {
    connectionString: `kurrentdb://127.0.0.1:${port}?tls=false`,
    stream: (name) => (name === ALL_STREAM ? undefined : streams.get(name)),
    appends,
    close: () =>
      new Promise<void>((resolve) => {
        server.tryShutdown(() => resolve());
        setTimeout(() => server.forceShutdown(), 1_000).unref();
      }),
  };
}
