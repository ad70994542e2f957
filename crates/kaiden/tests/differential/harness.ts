// kaiden's differential harness: runs Tachi's own BATCH-MANUAL import path
// (its parser, converter, scoreID, hydration, validation and in-import dedupe)
// on jobs read from stdin, one JSON object per line, and writes one JSON line of
// results per job. The database, logger, config and orphan store are stubs
// (./stubs); everything else is Tachi's code, bundled from ../shared/tachi-src
// by build.mjs. Nothing of Tachi's is kept in kaiden's tree.
import db from "external/mongo/db";
import { ParseBatchManualFromObject } from "lib/score-import/import-types/common/batch-manual/parser";
import { ConverterBatchManual } from "lib/score-import/import-types/common/batch-manual/converter";
import { ImportAllIterableData } from "lib/score-import/framework/score-importing/score-importing";
import CreateLogCtx from "lib/logger/logger";
import * as readline from "readline";

interface Job {
	game: string;
	songs: Array<unknown>;
	charts: Array<unknown>;
	userID: number;
	importType: string;
	document: unknown;
}

const logger = CreateLogCtx("differential") as any;

async function run(job: Job) {
	(db as any).reset();
	await (db as any).songs[job.game].insert(job.songs);
	await (db as any).charts[job.game].insert(job.charts);
	let parsed;
	try {
		parsed = ParseBatchManualFromObject(job.document, job.importType as any, false, logger);
	} catch (e: any) {
		return { fatal: { status: e.statusCode ?? null, message: String(e.message ?? e) } };
	}
	const results = await ImportAllIterableData(
		job.userID,
		job.importType as any,
		parsed.iterable as any,
		ConverterBatchManual as any,
		parsed.context as any,
		parsed.game,
		logger,
		undefined
	);
	const stored = await (db as any).scores.find({});
	return {
		results: results.map((r: any) =>
			r.success
				? { success: true, scoreID: r.content.score.scoreID }
				: { success: false, type: r.type, message: r.message }
		),
		scores: stored.map((s: any) => {
			delete s._id;
			return s;
		}),
	};
}

async function main() {
	const rl = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
	for await (const line of rl) {
		if (line.trim() === "") {
			continue;
		}
		const out = await run(JSON.parse(line));
		process.stdout.write(`${JSON.stringify(out)}\n`);
	}
}

main().catch((e) => {
	process.stderr.write(`${e?.stack ?? e}\n`);
	process.exit(1);
});
