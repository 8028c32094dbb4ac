/** Structured results of the seven tools, as carried in `tool.result` messages and ToolRuntime results. */
export interface ReadResult {
  path: string;
  content: string;
  size: number;
  truncated: boolean;
}

export interface WriteResult {
  path: string;
  bytes: number;
  created: boolean;
}

export interface EditResult {
  path: string;
  replacements: 1;
}

export interface BashResult {
  exitCode: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
  truncated: boolean;
}

export interface GlobResult {
  matches: string[];
  truncated: boolean;
}

export interface GrepMatch {
  path: string;
  line: number;
  text: string;
}

export interface GrepResult {
  matches: GrepMatch[];
  truncated: boolean;
}

export type EntryType = 'file' | 'dir' | 'symlink' | 'other';

export interface ListEntry {
  name: string;
  type: EntryType;
  size?: number;
}

export interface ListResult {
  path: string;
  entries: ListEntry[];
  truncated: boolean;
}

export interface ToolResults {
  read: ReadResult;
  write: WriteResult;
  edit: EditResult;
  bash: BashResult;
  glob: GlobResult;
  grep: GrepResult;
  list: ListResult;
}
