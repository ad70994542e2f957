// Stands in for Tachi's utils/fetch: the harness makes no network requests.
function nodeFetch() {
	throw new Error("the differential harness makes no network requests");
}
module.exports = nodeFetch;
module.exports.default = nodeFetch;
