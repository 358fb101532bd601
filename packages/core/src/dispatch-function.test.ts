import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, test } from 'vitest';

const PROBE = join(import.meta.dirname, 'dispatch-function.probe.ts');

// Compiled in memory beside the source, with the package's own settings.
const PROBE_SOURCE = `
import { createDispatcher } from './dispatcher.ts';
const { dispatch } = createDispatcher();
export const named = dispatch('named', (_cb: () => void) => {});
export const unnamed = dispatch(function bare(_cb: () => void) {});
export const withOptions = dispatch('opts', (_cb: () => void) => {}, {});
export const fine = dispatch('fine', (_id: string) => {});
`;

/** The compiler's messages for the probe, one flattened string each. */
function diagnosticsOf(source: string): string[] {
  const configPath = join(import.meta.dirname, '..', 'tsconfig.json');
  const config = ts.readConfigFile(configPath, ts.sys.readFile);
  const { options } = ts.parseJsonConfigFileContent(
    config.config,
    ts.sys,
    join(import.meta.dirname, '..'),
  );
  const host = ts.createCompilerHost({ ...options, noEmit: true });
  const readFile = host.readFile.bind(host);
  host.readFile = (path) => (path === PROBE ? source : readFile(path));
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (path) => path === PROBE || fileExists(path);

  const program = ts.createProgram([PROBE], { ...options, noEmit: true }, host);
  const file = program.getSourceFile(PROBE);
  return program
    .getSemanticDiagnostics(file)
    .map((diagnostic) =>
      ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'),
    );
}

describe('compile errors of dispatch()', () => {
  test('a parameter that cannot be encoded is the only error, in both forms', () => {
    const messages = diagnosticsOf(PROBE_SOURCE);

    expect(messages).toHaveLength(3);
    for (const message of messages) {
      expect(message).toContain("'parameters that cannot be encoded'");
      expect(message).toContain('not serializable: a function');
      expect(message).not.toContain('No overload matches this call');
      expect(message).not.toContain('AnyFunction');
    }
  });
});
