import { randomUUID } from 'node:crypto';
import type { ToolOutcome } from '@proofpane/daemon';
import type { DeviceHub, RemoteDevices } from '../devices/hub.js';
import type { PeerBus } from './bus.js';

const UP = 'device.up';
const DOWN = 'device.down';
const WHO = 'device.who';
const CALL = 'device.call';
const RESULT = 'device.result';
const DISCONNECT = 'device.disconnect';
/** Each process repeats its devices this often; an entry not repeated for three rounds is dropped. */
const ANNOUNCE_MS = 20_000;
const STALE_MS = 3 * ANNOUNCE_MS;

interface Presence {
  org: string;
  process: string;
  seenAt: number;
}

interface CallMessage {
  id: string;
  deviceId: string;
  org: string;
  tool: string;
  args: unknown;
  timeoutMs: number;
}

/**
 * Device sockets reached from any process (docs/decisions/0034). Each process announces the devices
 * connected to it on the bus; a call for a device held elsewhere goes to that process by address, which
 * runs it on its socket and sends the outcome back. The org travels with the call and is checked again
 * by the holding hub, so a call can never reach another org's device.
 */
export function startDeviceRelay(options: { hub: DeviceHub; bus: PeerBus; onError(error: unknown): void }) {
  const { hub, bus } = options;
  const elsewhere = new Map<string, Presence>();
  const waiting = new Map<string, (outcome: ToolOutcome) => void>();
  const send = (topic: string, payload: unknown, to?: string) =>
    bus.publish(topic, payload, to).catch(options.onError);
  const announce = (to?: string) => {
    for (const device of hub.local()) void send(UP, device, to);
  };
  const remote: RemoteDevices = {
    isConnected(deviceId, org) {
      const presence = elsewhere.get(deviceId);
      if (!presence || Date.now() - presence.seenAt > STALE_MS) return false;
      return org === undefined || presence.org === org;
    },
    call(call) {
      const presence = elsewhere.get(call.deviceId);
      if (!presence)
        return Promise.resolve({
          ok: false,
          error: { code: 'aborted', message: 'the device is not connected' },
        });
      const id = randomUUID();
      return new Promise<ToolOutcome>((resolve) => {
        // The holder times the call out itself; this bound only covers a holder that died mid-call.
        const timer = setTimeout(() => {
          waiting.delete(id);
          resolve({
            ok: false,
            error: { code: 'timeout', message: `no result from the device within ${call.timeoutMs} ms` },
          });
        }, call.timeoutMs + 2_000);
        waiting.set(id, (outcome) => {
          clearTimeout(timer);
          resolve(outcome);
        });
        void send(CALL, { id, ...call } satisfies CallMessage, presence.process);
      });
    },
    attached: (deviceId, org) => void send(UP, { deviceId, org }),
    detached: (deviceId) => void send(DOWN, { deviceId }),
    disconnect: (deviceId, reason) => void send(DISCONNECT, { deviceId, reason }),
  };
  const unsubscribe = [
    bus.subscribe(UP, (payload, from) => {
      const { deviceId, org } = payload as { deviceId: string; org: string };
      if (typeof deviceId === 'string' && typeof org === 'string')
        elsewhere.set(deviceId, { org, process: from, seenAt: Date.now() });
    }),
    bus.subscribe(DOWN, (payload, from) => {
      const { deviceId } = payload as { deviceId: string };
      if (elsewhere.get(deviceId)?.process === from) elsewhere.delete(deviceId);
    }),
    bus.subscribe(WHO, (_payload, from) => announce(from)),
    bus.subscribe(DISCONNECT, (payload) => {
      const { deviceId, reason } = payload as { deviceId: string; reason: string };
      hub.disconnectLocal(deviceId, String(reason));
    }),
    bus.subscribe(CALL, (payload, from) => {
      const call = payload as CallMessage;
      const local = hub.local().some((d) => d.deviceId === call.deviceId && d.org === call.org);
      const outcome: Promise<ToolOutcome> = local
        ? hub.call(call)
        : Promise.resolve({ ok: false, error: { code: 'aborted', message: 'the device is not connected' } });
      void outcome.then((result) => send(RESULT, { id: call.id, outcome: result }, from));
    }),
    bus.subscribe(RESULT, (payload) => {
      const { id, outcome } = payload as { id: string; outcome: ToolOutcome };
      const settle = waiting.get(id);
      waiting.delete(id);
      settle?.(outcome);
    }),
    // After a (re)connection this process may have missed announcements: ask again.
    bus.subscribe('bus.connected', () => void send(WHO, null)),
  ];
  hub.useRemote(remote);
  void send(WHO, null);
  const timer = setInterval(() => announce(), ANNOUNCE_MS);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      for (const off of unsubscribe) off();
    },
  };
}
