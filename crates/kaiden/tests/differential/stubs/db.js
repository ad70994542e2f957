// Stands in for Tachi's MongoDB handle (external/mongo/db): collections held in
// memory, answering the queries the import path makes (equality on dotted paths,
// arrays matching any element, $in, $or, $and, $regex and RegExp values).
const store = new Map();

function get(doc, path) {
	let cur = doc;
	for (const part of path.split(".")) {
		if (cur === null || cur === undefined) {
			return undefined;
		}
		cur = cur[part];
	}
	return cur;
}

function eq(a, b) {
	if (a === b) {
		return true;
	}
	if (typeof a === "object" && typeof b === "object" && a !== null && b !== null) {
		return JSON.stringify(a) === JSON.stringify(b);
	}
	return false;
}

function matchValue(value, cond) {
	if (cond instanceof RegExp) {
		return Array.isArray(value)
			? value.some((v) => typeof v === "string" && cond.test(v))
			: typeof value === "string" && cond.test(value);
	}
	if (cond !== null && typeof cond === "object" && !Array.isArray(cond)) {
		const ops = Object.keys(cond);
		if (ops.length > 0 && ops.every((k) => k.startsWith("$"))) {
			return ops.every((op) => {
				const arg = cond[op];
				switch (op) {
					case "$in":
						return arg.some((x) => matchValue(value, x));
					case "$nin":
						return !arg.some((x) => matchValue(value, x));
					case "$regex":
						return matchValue(value, arg instanceof RegExp ? arg : new RegExp(arg, cond.$options));
					case "$options":
						return true;
					case "$exists":
						return (value !== undefined) === Boolean(arg);
					case "$ne":
						return !matchValue(value, arg);
					case "$gt":
						return value > arg;
					case "$gte":
						return value >= arg;
					case "$lt":
						return value < arg;
					case "$lte":
						return value <= arg;
					default:
						throw new Error(`stub db: unsupported operator ${op}`);
				}
			});
		}
	}
	if (Array.isArray(value) && !Array.isArray(cond)) {
		return value.some((v) => eq(v, cond));
	}
	return eq(value ?? null, cond);
}

function matches(doc, query) {
	for (const [key, cond] of Object.entries(query ?? {})) {
		if (key === "$or") {
			if (!cond.some((q) => matches(doc, q))) {
				return false;
			}
		} else if (key === "$and") {
			if (!cond.every((q) => matches(doc, q))) {
				return false;
			}
		} else if (!matchValue(get(doc, key), cond)) {
			return false;
		}
	}
	return true;
}

function collection(name) {
	if (!store.has(name)) {
		store.set(name, []);
	}
	const docs = store.get(name);
	const copy = (d) => structuredClone(d);
	return {
		async find(query) {
			return docs.filter((d) => matches(d, query)).map(copy);
		},
		async findOne(query) {
			const d = docs.find((x) => matches(x, query));
			return d === undefined ? null : copy(d);
		},
		async insert(doc) {
			const list = Array.isArray(doc) ? doc : [doc];
			for (const d of list) {
				docs.push(copy(d));
			}
			return doc;
		},
		async count(query) {
			return docs.filter((d) => matches(d, query)).length;
		},
		async remove(query) {
			const keep = docs.filter((d) => !matches(d, query));
			docs.length = 0;
			docs.push(...keep);
		},
		async update() {
			throw new Error(`stub db: update on ${name} is not supported`);
		},
		all: () => docs,
	};
}

// db.charts.iidx, db.anyCharts.iidx, db.songs.iidx, db.anySongs.iidx, db.scores, ...
const byGame = (prefix) => new Proxy({}, { get: (_t, game) => collection(`${prefix}-${String(game)}`) });
const db = new Proxy(
	{},
	{
		get(_t, key) {
			switch (key) {
				case "charts":
				case "anyCharts":
					return byGame("charts");
				case "songs":
				case "anySongs":
					return byGame("songs");
				case "__esModule":
					return undefined;
				case "default":
					return db;
				case "reset":
					return reset;
				default:
					return collection(String(key));
			}
		},
	}
);

function reset() {
	store.clear();
}

module.exports = db;
