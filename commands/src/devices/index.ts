export {
  type CreatePairingCodeCommand,
  type DeviceCommand,
  deviceDecider,
  type PairCommand,
  type PresentedCode,
  pairingCodeDecider,
} from './decide.js';
export { DeviceError, type DeviceRefusal } from './errors.js';
export {
  type DeviceFact,
  deviceSubject,
  PAIRING_CODE_TTL_MS,
  type PairingCodeFact,
  pairingCodeSubject,
} from './facts.js';
export { createPairingCode, handleDeviceCommand, pairDevice } from './handlers.js';
export {
  type DeviceState,
  type DeviceStatus,
  evolveDevice,
  evolvePairingCode,
  initialDeviceState,
  initialPairingCodeState,
  type PairingCodeState,
} from './state.js';
