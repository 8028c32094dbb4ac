import { createRequire } from 'node:module';
import * as grpc from '@grpc/grpc-js';

/**
 * A stand-in KurrentDB for tests: a gRPC server on loopback that speaks the Streams service of the
 * real wire protocol (the client package's own generated messages), in memory. It implements what
 * the KurrentDB event store calls — BatchAppend and Append with an expected revision, Read of one
 * stream forwards and backwards, Read of `$all` forwards and backwards from a position — and
 * ServerFeatures. It does not implement subscriptions, filters, links, deletes, security or
 * clustering, and it shares none of the real server's code: it proves the adapter's use of the
 * client and of this protocol, not how KurrentDB itself behaves.
 */
const require = createRequire(import.meta.url);
const generated = '@kurrent/kurrentdb-client/generated/kurrentdb/protocols/v1';
const streamsPb = require(
  `${generated}/streams_pb.js`,
) as typeof import('@kurrent/kurrentdb-client/generated/kurrentdb/protocols/v1/streams_pb.js');
const streamsGrpc = require(
  `${generated}/streams_grpc_pb.js`,
) as typeof import('@kurrent/kurrentdb-client/generated/kurrentdb/protocols/v1/streams_grpc_pb.js');
const sharedPb = require(
  `${generated}/shared_pb.js`,
) as typeof import('@kurrent/kurrentdb-client/generated/kurrentdb/protocols/v1/shared_pb.js');
const featuresPb = require(
  `${generated}/serverfeatures_pb.js`,
) as typeof import('@kurrent/kurrentdb-client/generated/kurrentdb/protocols/v1/serverfeatures_pb.js');
const statusPb = require(
  `${generated}/status_pb.js`,
) as typeof import('@kurrent/kurrentdb-client/generated/kurrentdb/protocols/v1/status_pb.js');
const codePb = require(
  `${generated}/code_pb.js`,
) as typeof import('@kurrent/kurrentdb-client/generated/kurrentdb/protocols/v1/code_pb.js');
const anyPb =
  require('google-protobuf/google/protobuf/any_pb.js') as typeof import('google-protobuf/google/protobuf/any_pb.js');
const emptyPb =
  require('google-protobuf/google/protobuf/empty_pb.js') as typeof import('google-protobuf/google/protobuf/empty_pb.js');
const featuresGrpc = require(
  `${generated}/serverfeatures_grpc_pb.js`,
) as typeof import('@kurrent/kurrentdb-client/generated/kurrentdb/protocols/v1/serverfeatures_grpc_pb.js');

type AppendReq = InstanceType<typeof streamsPb.AppendReq>;
type ReadReq = InstanceType<typeof streamsPb.ReadReq>;
type ReadResp = InstanceType<typeof streamsPb.ReadResp>;
type BatchAppendReq = InstanceType<typeof streamsPb.BatchAppendReq>;
type BatchOptions = InstanceType<typeof streamsPb.BatchAppendReq.Options>;
type Proposed =
  | InstanceType<typeof streamsPb.AppendReq.ProposedMessage>
  | InstanceType<typeof streamsPb.BatchAppendReq.ProposedMessage>;
/** What an append expects of the stream. */
type Expected = { revision: bigint } | 'no_stream' | 'stream_exists' | 'any';
type Outcome = { wrong: true; current: number } | { current: number; position: bigint | undefined };

/** One stored event, as the server keeps it; tests may rewrite it to play an attacker below the API. */
export interface FakeRecord {
  id: string;
  type: string;
  contentType: string;
  data: Uint8Array;
  customMetadata: Uint8Array;
  /** 100 ns ticks since the Unix epoch, as the server reports `created`. */
  created: bigint;
  position: bigint;
}

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

const streamName = (identifier: InstanceType<typeof sharedPb.StreamIdentifier> | undefined): string =>
  Buffer.from(identifier?.getStreamName_asU8() ?? []).toString('utf8');

function proposedRecord(message: Proposed): FakeRecord {
  const metadata = message.getMetadataMap();
  return {
    id: message.getId()?.getString() ?? '',
    type: metadata.get('type') ?? '',
    contentType: metadata.get('content-type') ?? 'application/octet-stream',
    data: message.getData_asU8(),
    customMetadata: message.getCustomMetadata_asU8(),
    created: BigInt(Date.now()) * 10_000n,
    position: 0n,
  };
}

function status(code: number, message: string, details?: InstanceType<typeof anyPb.Any>) {
  const result = new statusPb.Status();
  result.setCode(code);
  result.setMessage(message);
  if (details) result.setDetails(details);
  return result;
}

const unimplementedError = (message: string): grpc.ServiceError =>
  Object.assign(new Error(message), {
    code: grpc.status.UNIMPLEMENTED,
    details: message,
    metadata: new grpc.Metadata(),
  });

function unimplemented(_call: unknown, callback: grpc.sendUnaryData<unknown>) {
  callback({ code: grpc.status.UNIMPLEMENTED, details: 'not faked' });
}

function readResponse(stream: string, revision: number, record: FakeRecord, structured: boolean): ReadResp {
  const recorded = new streamsPb.ReadResp.ReadEvent.RecordedEvent();
  const id = new sharedPb.UUID();
  if (structured) id.setStructured(structuredUuid(record.id));
  else id.setString(record.id);
  recorded.setId(id);
  const identifier = new sharedPb.StreamIdentifier();
  identifier.setStreamName(Buffer.from(stream, 'utf8'));
  recorded.setStreamIdentifier(identifier);
  recorded.setStreamRevision(String(revision));
  recorded.setPreparePosition(record.position.toString());
  recorded.setCommitPosition(record.position.toString());
  const metadata = recorded.getMetadataMap();
  metadata.set('type', record.type);
  metadata.set('content-type', record.contentType);
  metadata.set('created', record.created.toString());
  recorded.setCustomMetadata(record.customMetadata);
  recorded.setData(record.data);
  const event = new streamsPb.ReadResp.ReadEvent();
  event.setEvent(recorded);
  event.setCommitPosition(record.position.toString());
  const response = new streamsPb.ReadResp();
  response.setEvent(event);
  return response;
}

function structuredUuid(id: string): InstanceType<typeof sharedPb.UUID.Structured> {
  const hex = id.replaceAll('-', '');
  const signed = (part: string) => BigInt.asIntN(64, BigInt(`0x${part}`)).toString();
  const structured = new sharedPb.UUID.Structured();
  structured.setMostSignificantBits(signed(hex.slice(0, 16)));
  structured.setLeastSignificantBits(signed(hex.slice(16)));
  return structured;
}
