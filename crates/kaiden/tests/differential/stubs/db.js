// Stands in for Tachi's MongoDB handle (external/mongo/db): collections held in
// memory, answering the queries the import path makes (equality on dotted paths,
// arrays matching any element, $in, $or, $and, $regex and RegExp values, $type
// "number"), findOne's sort (BSON order: missing and null before numbers before
// strings; ties keep insertion order) and update's $set.
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
					case "$type":
						if (arg !== "number") {
							throw new Error(`stub db: unsupported $type ${arg}`);
						}
						return typeof value === "number";
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

// BSON's order for the values a sort meets here.
function bsonRank(v) {
	if (v === undefined || v === null) {
		return 0;
	}
	if (typeof v === "number") {
		return 1;
	}
	if (typeof v === "string") {
		return 2;
	}
	throw new Error(`stub db: cannot sort on ${JSON.stringify(v)}`);
}

function compareBson(a, b) {
	const ra = bsonRank(a);
	const rb = bsonRank(b);
	if (ra !== rb) {
		return ra - rb;
	}
	if (ra === 0 || a === b) {
		return 0;
	}
	return a < b ? -1 : 1;
}

// A stable sort on the keys in order (1 ascending, -1 descending).
function sorted(list, sort) {
	const keys = Object.entries(sort);
	return list
		.map((d, i) => ({ d, i }))
		.sort((x, y) => {
			for (const [k, dir] of keys) {
				const c = compareBson(get(x.d, k), get(y.d, k));
				if (c !== 0) {
					return dir < 0 ? -c : c;
				}
			}
			return x.i - y.i;
		})
		.map((e) => e.d);
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
		async findOne(query, options) {
			let found = docs.filter((x) => matches(x, query));
			if (options?.sort) {
				found = sorted(found, options.sort);
			}
			return found.length === 0 ? null : copy(found[0]);
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
		async update(query, change) {
			const ops = Object.keys(change);
			if (ops.length !== 1 || ops[0] !== "$set") {
				throw new Error(`stub db: update on ${name} supports $set only`);
			}
			const d = docs.find((x) => matches(x, query));
			if (d !== undefined) {
				for (const [k, v] of Object.entries(change.$set)) {
					d[k] = structuredClone(v);
				}
			}
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
