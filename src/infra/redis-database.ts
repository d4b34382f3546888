/**
 * The database a Redis URL names, as ioredis reads it: after the port (redis://host:6379/2),
 * else its `?db=`; '' when none (database 0). Not checked: REDIS_URL's schema checks it is digits.
 */
export function redisDatabaseOf(url: string): string {
  const { pathname, searchParams } = new URL(url);
  return pathname.slice(1) || (searchParams.get('db') ?? '');
}
