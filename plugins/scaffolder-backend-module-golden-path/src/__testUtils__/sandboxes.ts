import { makeSandbox } from './context';

/**
 * Returns a `sandbox(files)` factory for the current test file; every sandbox
 * it creates is removed after each test.
 */
export function useSandboxes() {
  let sandboxes: ReturnType<typeof makeSandbox>[] = [];
  afterEach(() => {
    sandboxes.forEach(s => s.cleanup());
    sandboxes = [];
  });
  return (files: Record<string, string>) => {
    const s = makeSandbox(files);
    sandboxes.push(s);
    return s;
  };
}
