import { describe, expect, it } from 'vitest';
import { chooseGreenfieldRunner, DEFAULT_CODER_IMAGE, dockerRunArgs } from './docker-runner.js';

const base = { workspace: '/data/greenfield/org_a/cs_1', name: 'proofpane-cs_1-3', timeoutSeconds: 60 };
const flagValue = (args: string[], flag: string) => args[args.indexOf(flag) + 1];

describe('dockerRunArgs', () => {
  it('runs without network, on a read-only root, as a non-root user, with bounds and only the workspace writable', () => {
    const args = dockerRunArgs({ ...base, command: 'npm test' });
    expect(args.slice(0, 2)).toEqual(['run', '--rm']);
    expect(args).toContain('--network=none');
    expect(args).toContain('--read-only');
    expect(args).toContain('--cap-drop=ALL');
    expect(flagValue(args, '--security-opt')).toBe('no-new-privileges');
    expect(flagValue(args, '--user')).toBe('1000:1000');
    expect(flagValue(args, '--pids-limit')).toBe('256');
    expect(flagValue(args, '--memory')).toBe('1048576k');
    expect(flagValue(args, '--cpus')).toBe('1');
    expect(flagValue(args, '--mount')).toBe('type=bind,source=/data/greenfield/org_a/cs_1,target=/workspace');
    expect(flagValue(args, '--workdir')).toBe('/workspace');
    expect(flagValue(args, '--tmpfs')).toMatch(/^\/tmp:rw,noexec,nosuid,size=\d+$/);
    expect(args.filter((a) => a === '--mount')).toHaveLength(1);
    expect(args.some((a) => a.startsWith('--privileged') || a.startsWith('--network=host'))).toBe(false);
  });

  it('passes the command as one argument after the image and a hard timeout, never to a host shell', () => {
    const command = 'echo "$(id -u)"; rm -rf / ; `curl x`';
    const args = dockerRunArgs({ ...base, command, image: 'example/builder:1' });
    const image = args.indexOf('example/builder:1');
    expect(args.slice(image)).toEqual([
      'example/builder:1',
      'timeout',
      '--signal=KILL',
      '60',
      '/bin/sh',
      '-c',
      command,
    ]);
    expect(dockerRunArgs({ ...base, command: 'true' })).toContain(DEFAULT_CODER_IMAGE);
  });

  it('refuses a container name or workspace path that could change the flags', () => {
    expect(() => dockerRunArgs({ ...base, name: '--privileged', command: 'true' })).toThrow();
    expect(() => dockerRunArgs({ ...base, workspace: '/data/x,target=/etc', command: 'true' })).toThrow();
  });
});

describe('chooseGreenfieldRunner', () => {
  it('takes bubblewrap first, then Docker, else none', async () => {
    const asked: string[] = [];
    const probe = (name: string, answer: boolean) => async () => {
      asked.push(name);
      return answer;
    };
    expect(
      await chooseGreenfieldRunner({ bubblewrap: probe('bwrap', true), docker: probe('docker', true) }),
    ).toBe('bubblewrap');
    expect(asked).toEqual(['bwrap']);
    expect(
      await chooseGreenfieldRunner({ bubblewrap: probe('bwrap', false), docker: probe('docker', true) }),
    ).toBe('docker');
    expect(
      await chooseGreenfieldRunner({ bubblewrap: probe('bwrap', false), docker: probe('docker', false) }),
    ).toBeNull();
  });
});
