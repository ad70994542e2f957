// Stands in for Tachi's winston logger (lib/logger/logger): every level is a no-op.
const noop = () => undefined;
// With KAIDEN_HARNESS_LOG set, errors are written to stderr (for debugging a
// harness run).
const loud = (key) =>
	process.env.KAIDEN_HARNESS_LOG && (key === "error" || key === "severe")
		? (...args) => process.stderr.write(`${String(key)}: ${args.map((a) => (a?.err?.stack ?? (typeof a === "string" ? a : JSON.stringify(a)))).join(" ")}\n`)
		: noop;
function makeLogger() {
	return new Proxy({}, { get: (_t, key) => (key === "child" ? makeLogger : loud(key)) });
}
function CreateLogCtx() {
	return makeLogger();
}
function AppendLogCtx() {
	return makeLogger();
}
module.exports = CreateLogCtx;
module.exports.default = CreateLogCtx;
module.exports.CreateLogCtx = CreateLogCtx;
module.exports.AppendLogCtx = AppendLogCtx;
module.exports.rootLogger = makeLogger();
module.exports.ChangeRootLogLevel = noop;
module.exports.GetLogLevel = () => "info";
module.exports.Transports = [];
