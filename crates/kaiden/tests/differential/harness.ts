// kaiden's differential harness: runs Tachi's own BATCH-MANUAL import path
// (its parser, converter, scoreID, hydration, validation and in-import dedupe,
// then its sessions and each touched chart's PB document) on jobs read from
// stdin, one JSON object per line, and writes one JSON line of results per job. The database, logger, config and orphan store are stubs
// (./stubs); everything else is Tachi's code, bundled from ../shared/tachi-src
// by build.mjs. Nothing of Tachi's is kept in kaiden's tree.
import db from "external/mongo/db";
import { ParseBatchManualFromObject } from "lib/score-import/import-types/common/batch-manual/parser";
import { ConverterBatchManual } from "lib/score-import/import-types/common/batch-manual/converter";
import { ImportAllIterableData } from "lib/score-import/framework/score-importing/score-importing";
import { CreateSessions } from "lib/score-import/framework/sessions/sessions";
import { CreatePBDoc } from "lib/score-import/framework/pb/create-pb-doc";
import CreateLogCtx from "lib/logger/logger";
import { GetGPTString } from "tachi-common";
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
	// Sessions from the scores imported, by playtype, in import order (as
	// Tachi's import does after storing them).
	const byPlaytype: Record<string, Array<any>> = {};
	for (const r of results as Array<any>) {
		if (r.success) {
			(byPlaytype[r.content.score.playtype] ??= []).push(r.content.score);
		}
	}
	await CreateSessions(job.userID, job.game as any, byPlaytype as any, logger);
	const sessions = await (db as any).sessions.find({});
	const stored = await (db as any).scores.find({});
	// The PB of every chart with a score.
	const pbs = [];
	for (const chartID of [...new Set(stored.map((s: any) => s.chartID))]) {
		const chart = await (db as any).charts[job.game].findOne({ chartID });
		const pb = await CreatePBDoc(
			GetGPTString(job.game as any, chart.playtype),
			job.userID,
			chart,
			logger
		);
		if (pb) {
			pbs.push(pb);
		}
	}
	return {
		sessions: sessions.map((s: any) => {
			delete s._id;
			return s;
		}),
		pbs,
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
