// Runs once when a server instance starts: open the database before the first request.
export async function register() {
  if (process.env.NEXT_RUNTIME === 'nodejs') {
    const { bootServer } = await import('./lib/server/boot');
    await bootServer();
  }
}
