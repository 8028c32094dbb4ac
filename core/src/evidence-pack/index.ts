export {
  type BuildEvidencePackOptions,
  buildEvidencePack,
  type EvidencePack,
} from './build-evidence-pack.js';
export { signCheckpoint } from './checkpoint.js';
export { writeZip, type ZipInput } from './zip-writer.js';
