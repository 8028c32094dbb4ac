process.on('uncaughtException', (e) => { console.log('UNCAUGHT', e.message, e.stack?.split('\n').slice(0,8).join('|')); });
const m = await import('/work/main/bench/projections.bench.ts');
const r = await m.default({ databaseUrl: process.env.DATABASE_URL, quick: true, log: (l: string) => console.log(l) });
console.log(r);
