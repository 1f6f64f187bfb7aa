/** Connection to an existing database on the test server, used to create and drop test databases. */
export const adminUrl = () => process.env.TEST_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";

export function databaseUrl(name: string): string {
  const u = new URL(adminUrl());
  u.pathname = `/${name}`;
  return u.toString();
}

export const redisUrl = () => process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";
