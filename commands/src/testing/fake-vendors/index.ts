export { startFakeAnthropic } from './anthropic.js';
export { startFakeGemini } from './gemini.js';
export { startFakeOpenAI } from './openai.js';
export {
  DEFAULT_REPLY,
  type RecordedRequest,
  type ScriptedReply,
  type ScriptedThinking,
  type ScriptedToolCall,
} from './script.js';
export { type FakeVendor, startFakeVendor } from './server.js';
