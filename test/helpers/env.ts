// The environment for a child process under test: this process's, without the Tongwen variables
// a developer's shell may have set, plus the test's own.
export function childEnv(env: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const clean = { ...process.env };
  for (const k of ['PORT', 'DATA_DIR', 'MEILI_URL', 'MEILI_MASTER_KEY', 'INDEX_NAME']) delete clean[k];
  return { ...clean, ...env };
}
