/** The embedded store is one process's at a time; this says which one holds it. */
export class StoreBusyError extends Error {
  constructor(dir: string, pid: number) {
    super(
      `the embedded store in ${dir} is open in process ${pid}: stop that process, or set DATABASE_URL to a PostgreSQL server so several processes can share the store`,
    );
    this.name = 'StoreBusyError';
  }
}
