/**
 * A database handle that records the SQL of every `query` that reaches the database, passing
 * everything through unchanged: tests use it to see how many statements a batch took.
 */
export function countingDb<T extends { query(text: string, ...rest: never[]): unknown }>(inner: T): T & { sql: string[] } {
  const sql: string[] = [];
  return new Proxy(inner, {
    get(target, property) {
      if (property === 'sql') return sql;
      const value = Reflect.get(target, property, target) as unknown;
      if (property === 'query') {
        return (text: string, ...rest: never[]) => {
          sql.push(text);
          return target.query(text, ...rest);
        };
      }
      return typeof value === 'function' ? value.bind(target) : value;
    },
  }) as T & { sql: string[] };
}
