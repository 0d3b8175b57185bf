/** `npm test` finds Chromium for the browser tests, installs Debian's package as root, or stops with one line. */
const { ensureChromium } = require('../../scripts/services') as { ensureChromium: (env: Record<string, string | undefined>, log: (m: string) => void, tools: Tools) => { CHROMIUM_PATH: string } };

interface Tools {
  isExecutable(file: string): boolean;
  commandPath(command: string): string | null;
  isRoot(): boolean;
  run(script: string): boolean;
}

/** A machine: the executables it has, whether we are root, and what running apt-get would add. */
function machine(files: string[], { root = true, aptGet = true, installs = ['/usr/bin/chromium'], aptSucceeds = true } = {}) {
  const present = new Set(files);
  const ran: string[] = [];
  const tools: Tools = {
    isExecutable: (file) => present.has(file),
    commandPath: (command) => {
      if (command === 'apt-get') return aptGet ? '/usr/bin/apt-get' : null;
      return [...present].find((file) => file.endsWith(`/bin/${command}`)) ?? null;
    },
    isRoot: () => root,
    run: (script) => {
      ran.push(script);
      if (aptSucceeds) for (const file of installs) present.add(file);
      return aptSucceeds;
    },
  };
  return { tools, ran };
}

const quiet = () => undefined;

describe('Chromium for the browser tests', () => {
  it('uses CHROMIUM_PATH as given, and stops with one line when it is not there', () => {
    const { tools, ran } = machine(['/opt/chrome/chrome', '/usr/bin/chromium']);
    expect(ensureChromium({ CHROMIUM_PATH: '/opt/chrome/chrome' }, quiet, tools)).toEqual({ CHROMIUM_PATH: '/opt/chrome/chrome' });
    expect(() => ensureChromium({ CHROMIUM_PATH: '/missing/chromium' }, quiet, tools)).toThrow(/^CHROMIUM_PATH: \/missing\/chromium is not an executable file; [^\n]+$/);
    expect(ran).toEqual([]);
  });

  it('finds chromium on the PATH, or Debian\'s /usr/bin/chromium, without installing anything', () => {
    const onPath = machine(['/usr/local/bin/chromium']);
    expect(ensureChromium({}, quiet, onPath.tools)).toEqual({ CHROMIUM_PATH: '/usr/local/bin/chromium' });
    const debian = machine(['/usr/bin/chromium']);
    debian.tools.commandPath = (command) => (command === 'apt-get' ? '/usr/bin/apt-get' : null);
    expect(ensureChromium({}, quiet, debian.tools)).toEqual({ CHROMIUM_PATH: '/usr/bin/chromium' });
    expect([...onPath.ran, ...debian.ran]).toEqual([]);
  });

  it('installs Debian\'s chromium as root when it is missing', () => {
    const { tools, ran } = machine([]);
    const said: string[] = [];
    expect(ensureChromium({}, (m) => said.push(m), tools)).toEqual({ CHROMIUM_PATH: '/usr/bin/chromium' });
    expect(ran).toEqual(['apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium']);
    expect(said).toEqual([expect.stringMatching(/^Chromium not found; installing it/)]);
  });

  it('stops with one line saying how when it cannot install', () => {
    const notRoot = machine([], { root: false });
    expect(() => ensureChromium({}, quiet, notRoot.tools)).toThrow(/^Chromium not found \(the browser tests need it\): run `sudo apt-get install chromium` \(Debian\/Ubuntu\), or set CHROMIUM_PATH [^\n]+$/);
    const noApt = machine([], { aptGet: false });
    expect(() => ensureChromium({}, quiet, noApt.tools)).toThrow(/^Chromium not found .*sudo apt-get install chromium/);
    const aptFails = machine([], { aptSucceeds: false });
    expect(() => ensureChromium({}, quiet, aptFails.tools)).toThrow(/^Chromium not found \(the browser tests need it\): the apt-get install above did not provide it; [^\n]+$/);
    expect([...notRoot.ran, ...noApt.ran, aptFails.ran.length]).toEqual([1]);
  });
});
