/**
 * Pause points for fault-injection tests (a worker killed in the middle of a transaction). Active only when
 * MSOKO_TEST_PAUSE names the point ("aggregates.beforeCommit:10000" = wait 10 s there) and not in production.
 */
export async function testPause(point: string): Promise<void> {
  const setting = process.env.MSOKO_TEST_PAUSE;
  if (!setting || process.env.NODE_ENV === 'production') return;
  const [name, ms] = setting.split(':');
  if (name !== point) return;
  process.stdout.write(`${JSON.stringify({ testPause: point })}\n`);
  await new Promise((resolve) => setTimeout(resolve, Number(ms) || 10_000));
}
