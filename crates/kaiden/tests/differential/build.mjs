// Bundles harness.ts with Tachi's TypeScript from $TACHI_SRC (../shared/tachi-src)
// into one Node script. Run with the harness's node_modules on NODE_PATH:
//   node build.mjs <tachi-src> <node_modules> <out.js>
import { createRequire } from "module";
import path from "path";
import fs from "fs";
import { fileURLToPath } from "url";

const [tachiSrcArg, nodeModulesArg, out] = process.argv.slice(2);
const tachiSrc = fs.realpathSync(tachiSrcArg);
const nodeModules = fs.realpathSync(nodeModulesArg);
const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(nodeModules, "noop.js"));
const esbuild = require("esbuild");

const server = path.join(tachiSrc, "server", "src");
const common = path.join(tachiSrc, "common", "src");

function resolveTs(base) {
	for (const cand of [base, `${base}.ts`, `${base}.js`, path.join(base, "index.ts")]) {
		if (fs.existsSync(cand) && fs.statSync(cand).isFile()) {
			return cand;
		}
	}
	return null;
}

// Tachi modules replaced by stubs, by path under server/src without extension.
const stubbed = {
	"external/mongo/db": "db.js",
	"lib/logger/logger": "logger.js",
	"lib/setup/config": "config.js",
	"lib/score-import/import-types/converters": "empty.js",
	"lib/score-import/framework/score-importing/score-import-main": "empty.js",
	"utils/user": "empty.js",
	"utils/fetch": "fetch.js",
};

const tachiPaths = {
	name: "tachi-paths",
	setup(build) {
		build.onResolve({ filter: /.*/ }, (args) => {
			const p = args.path;
			let file = null;
			if (p === "tachi-common") {
				file = resolveTs(path.join(common, "index"));
			} else if (p.startsWith("tachi-common/")) {
				file = resolveTs(path.join(common, p.slice("tachi-common/".length)));
			} else if (p.startsWith(".") && args.resolveDir.startsWith(tachiSrc)) {
				file = resolveTs(path.join(args.resolveDir, p));
			} else if (!p.startsWith(".") && !path.isAbsolute(p)) {
				file = resolveTs(path.join(server, p));
			}
			if (file === null) {
				return undefined;
			}
			const key = path.relative(server, file).replace(/\.(ts|js)$/u, "");
			if (stubbed[key]) {
				return { path: path.join(here, "stubs", stubbed[key]) };
			}
			return { path: file };
		});
	},
};

await esbuild.build({
	entryPoints: [path.join(here, "harness.ts")],
	bundle: true,
	platform: "node",
	target: "node20",
	format: "cjs",
	outfile: out,
	nodePaths: [nodeModules],
	plugins: [tachiPaths],
	logLevel: "error",
});
