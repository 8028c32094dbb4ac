const m = await import('./projections.bench.js');
const r = await m.default({ databaseUrl: process.env.DATABASE_URL, quick: true, log: (l: string) => console.log(l) });
console.log(JSON.stringify(r));
