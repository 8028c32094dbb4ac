import { createRequire } from 'node:module';
import * as grpc from '@grpc/grpc-js';

/**
 * A stand-in KurrentDB for tests: a gRPC server on loopback that speaks the Streams service of the
 * real wire protocol (the client package's own generated messages), in memory. It implements what
 * the KurrentDB event store calls — Append with an expected revision, Read of one stream forwards
 * and backwards, Read of `$all` forwards and backwards from a position — and answers
 * ServerFeatures with no optional methods, so the client uses the plain Append. It does not
 * implement subscriptions, filters, links, deletes, security or clustering, and it shares none of
 * the real server's code: it proves the adapter's use of the client and of this protocol, not how
 * KurrentDB itself behaves.
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
const featuresGrpc = require(
  `${generated}/serverfeatures_grpc_pb.js`,
) as typeof import('@kurrent/kurrentdb-client/generated/kurrentdb/protocols/v1/serverfeatures_grpc_pb.js');

type AppendReq = InstanceType<typeof streamsPb.AppendReq>;
type ReadReq = InstanceType<typeof streamsPb.ReadReq>;
type ReadResp = InstanceType<typeof streamsPb.ReadResp>;

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
  close(): Promise<void>;
}

const ALL_STREAM = '$all';
const POSITION_STEP = 128n;

export async function startFakeKurrentDb(): Promise<FakeKurrentDb> {
  const streams = new Map<string, (FakeRecord | undefined)[]>();
  /** Every event in commit order, as `$all` reads it. */
  const log: { stream: string; revision: number }[] = [];
  const server = new grpc.Server();

  server.addService(featuresGrpc.ServerFeaturesService, {
    getSupportedMethods: (
      _call: grpc.ServerUnaryCall<unknown, unknown>,
      callback: grpc.sendUnaryData<unknown>,
    ) => {
      const methods = new featuresPb.SupportedMethods();
      methods.setEventStoreServerVersion('0.0.0-fake');
      callback(null, methods);
    },
  });

  server.addService(streamsGrpc.StreamsService, {
    append: (call: grpc.ServerReadableStream<AppendReq, unknown>, callback: grpc.sendUnaryData<unknown>) => {
      let header: InstanceType<typeof streamsPb.AppendReq.Options> | undefined;
      const proposed: FakeRecord[] = [];
      call.on('data', (req: AppendReq) => {
        if (req.hasOptions()) header = req.getOptions();
        else if (req.hasProposedMessage()) {
          const message = req.getProposedMessage()!;
          const metadata = message.getMetadataMap();
          proposed.push({
            id: message.getId()?.getString() ?? '',
            type: metadata.get('type') ?? '',
            contentType: metadata.get('content-type') ?? 'application/octet-stream',
            data: message.getData_asU8(),
            customMetadata: message.getCustomMetadata_asU8(),
            created: BigInt(Date.now()) * 10_000n,
            position: 0n,
          });
        }
      });
      call.on('error', () => {});
      call.on('end', () => {
        if (!header) {
          callback({ code: grpc.status.INVALID_ARGUMENT, details: 'append without options' });
          return;
        }
        const name = Buffer.from(header.getStreamIdentifier()?.getStreamName_asU8() ?? []).toString('utf8');
        const records = streams.get(name);
        const current = records ? records.length - 1 : -1;
        const response = new streamsPb.AppendResp();
        const expected = header.getExpectedStreamRevisionCase();
        const cases = streamsPb.AppendReq.Options.ExpectedStreamRevisionCase;
        const wrong =
          (expected === cases.REVISION && BigInt(header.getRevision()) !== BigInt(current)) ||
          (expected === cases.NO_STREAM && current !== -1) ||
          (expected === cases.STREAM_EXISTS && current === -1);
        if (wrong) {
          const mismatch = new streamsPb.AppendResp.WrongExpectedVersion();
          if (current === -1) mismatch.setCurrentNoStream(new sharedPb.Empty());
          else mismatch.setCurrentRevision(String(current));
          if (expected === cases.REVISION) mismatch.setExpectedRevision(header.getRevision());
          else if (expected === cases.NO_STREAM) mismatch.setExpectedNoStream(new sharedPb.Empty());
          else if (expected === cases.STREAM_EXISTS) mismatch.setExpectedStreamExists(new sharedPb.Empty());
          else mismatch.setExpectedAny(new sharedPb.Empty());
          response.setWrongExpectedVersion(mismatch);
          callback(null, response);
          return;
        }
        const target = records ?? [];
        streams.set(name, target);
        for (const record of proposed) {
          record.position = BigInt(log.length + 1) * POSITION_STEP;
          log.push({ stream: name, revision: target.length });
          target.push(record);
        }
        const success = new streamsPb.AppendResp.Success();
        if (target.length === 0) success.setNoStream(new sharedPb.Empty());
        else success.setCurrentRevision(String(target.length - 1));
        const last = target.at(-1);
        if (last) {
          const position = new streamsPb.AppendResp.Position();
          position.setCommitPosition(last.position.toString());
          position.setPreparePosition(last.position.toString());
          success.setPosition(position);
        } else success.setNoPosition(new sharedPb.Empty());
        response.setSuccess(success);
        callback(null, response);
      });
    },

    read: (call: grpc.ServerWritableStream<ReadReq, ReadResp>) => {
      const options = call.request.getOptions();
      if (!options || options.hasSubscription()) {
        call.destroy({
          name: 'Unimplemented',
          message: 'subscriptions are not faked',
          code: grpc.status.UNIMPLEMENTED,
        } as grpc.ServiceError);
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
    batchAppend: (call: grpc.ServerDuplexStream<unknown, unknown>) => {
      call.destroy({
        name: 'Unimplemented',
        message: 'batch append is not faked',
        code: grpc.status.UNIMPLEMENTED,
      } as grpc.ServiceError);
    },
  });

  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (error, bound) =>
      error ? reject(error) : resolve(bound),
    ),
  );

  return {
    connectionString: `kurrentdb://127.0.0.1:${port}?tls=false`,
    stream: (name) => (name === ALL_STREAM ? undefined : streams.get(name)),
    close: () =>
      new Promise<void>((resolve) => {
        server.tryShutdown(() => resolve());
        setTimeout(() => server.forceShutdown(), 1_000).unref();
      }),
  };
}

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
