import { createRequire } from 'node:module';
import * as grpc from '@grpc/grpc-js';

/** The generated protocol messages of the KurrentDB client package, and the fake server's helpers over them. */
const require = createRequire(import.meta.url);
const generated = '@kurrent/kurrentdb-client/generated/kurrentdb/protocols/v1';
export const streamsPb = require(
  `${generated}/streams_pb.js`,
) as typeof import('@kurrent/kurrentdb-client/generated/kurrentdb/protocols/v1/streams_pb.js');
export const streamsGrpc = require(
  `${generated}/streams_grpc_pb.js`,
) as typeof import('@kurrent/kurrentdb-client/generated/kurrentdb/protocols/v1/streams_grpc_pb.js');
export const sharedPb = require(
  `${generated}/shared_pb.js`,
) as typeof import('@kurrent/kurrentdb-client/generated/kurrentdb/protocols/v1/shared_pb.js');
export const featuresPb = require(
  `${generated}/serverfeatures_pb.js`,
) as typeof import('@kurrent/kurrentdb-client/generated/kurrentdb/protocols/v1/serverfeatures_pb.js');
export const statusPb = require(
  `${generated}/status_pb.js`,
) as typeof import('@kurrent/kurrentdb-client/generated/kurrentdb/protocols/v1/status_pb.js');
export const codePb = require(
  `${generated}/code_pb.js`,
) as typeof import('@kurrent/kurrentdb-client/generated/kurrentdb/protocols/v1/code_pb.js');
export const anyPb =
  require('google-protobuf/google/protobuf/any_pb.js') as typeof import('google-protobuf/google/protobuf/any_pb.js');
export const emptyPb =
  require('google-protobuf/google/protobuf/empty_pb.js') as typeof import('google-protobuf/google/protobuf/empty_pb.js');
export const featuresGrpc = require(
  `${generated}/serverfeatures_grpc_pb.js`,
) as typeof import('@kurrent/kurrentdb-client/generated/kurrentdb/protocols/v1/serverfeatures_grpc_pb.js');

export type AppendReq = InstanceType<typeof streamsPb.AppendReq>;
export type ReadReq = InstanceType<typeof streamsPb.ReadReq>;
export type ReadResp = InstanceType<typeof streamsPb.ReadResp>;
export type BatchAppendReq = InstanceType<typeof streamsPb.BatchAppendReq>;
export type BatchOptions = InstanceType<typeof streamsPb.BatchAppendReq.Options>;
export type Proposed =
  | InstanceType<typeof streamsPb.AppendReq.ProposedMessage>
  | InstanceType<typeof streamsPb.BatchAppendReq.ProposedMessage>;
/** What an append expects of the stream. */
export type Expected = { revision: bigint } | 'no_stream' | 'stream_exists' | 'any';
export type Outcome = { wrong: true; current: number } | { current: number; position: bigint | undefined };

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

export const streamName = (identifier: InstanceType<typeof sharedPb.StreamIdentifier> | undefined): string =>
  Buffer.from(identifier?.getStreamName_asU8() ?? []).toString('utf8');

export function proposedRecord(message: Proposed): FakeRecord {
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

export function status(code: number, message: string, details?: InstanceType<typeof anyPb.Any>) {
  const result = new statusPb.Status();
  result.setCode(code);
  result.setMessage(message);
  if (details) result.setDetails(details);
  return result;
}

export const unimplementedError = (message: string): grpc.ServiceError =>
  Object.assign(new Error(message), {
    code: grpc.status.UNIMPLEMENTED,
    details: message,
    metadata: new grpc.Metadata(),
  });

export function unimplemented(_call: unknown, callback: grpc.sendUnaryData<unknown>) {
  callback({ code: grpc.status.UNIMPLEMENTED, details: 'not faked' });
}

export function readResponse(
  stream: string,
  revision: number,
  record: FakeRecord,
  structured: boolean,
): ReadResp {
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
