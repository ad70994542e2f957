// Stands in for Tachi modules the BATCH-MANUAL import path names but never
// reaches in the harness (every other import type's converter, the post-import
// steps, user lookups): calling any export is an error.
module.exports = new Proxy(
	{},
	{
		get(_t, key) {
			if (key === "__esModule") {
				return undefined;
			}
			if (key === "Converters") {
				return {};
			}
			return () => {
				throw new Error(`the differential harness does not provide ${String(key)}`);
			};
		},
	}
);
