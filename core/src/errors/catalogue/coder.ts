import { errorSection } from '../entry.js';

/** Repo Coder and Greenfield sessions (`commands/src/coder`, docs/coder.md). */
export const coderErrors = errorSection('api.md#coder', {
  coder_session_not_found: { status: 404, title: 'No coder session with this id in the org' },
  coder_session_state: {
    status: 409,
    title:
      'The session is not in a state that allows this (run once from awaiting_run; apply or discard once it finished)',
  },
  coder_session_limit: {
    status: 429,
    title: 'The org already has as many active coder sessions as it may; discard or apply one first',
  },
  coder_repo_invalid: {
    status: 422,
    title: "The repository is not a git repository inside the org's workspace",
  },
  coder_sandbox_unavailable: {
    status: 503,
    title:
      'Neither bubblewrap nor a Docker daemon is available to confine a session; install bubblewrap (apt-get install bubblewrap) or start Docker',
  },
  coder_device_unavailable: {
    status: 503,
    title:
      "The session's device is revoked, not connected, or runs a daemon without the worktree tool; start or update `proofpane-daemon run` on it",
  },
  coder_artifact_not_found: { status: 404, title: 'The session has no approved artifact' },
});
