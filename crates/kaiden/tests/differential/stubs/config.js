// Stands in for Tachi's server configuration (lib/setup/config): the values the
// import path reads, for a server that runs every game.
const GAMES = [
	"iidx", "museca", "maimai", "maimaidx", "jubeat", "popn", "sdvx", "ddr", "bms",
	"chunithm", "gitadora", "usc", "wacca", "pms", "itg", "arcaea", "ongeki",
];
const TachiConfig = {
	NAME: "kaiden-differential",
	TYPE: "omni",
	GAMES,
	IMPORT_TYPES: [],
};
const ServerConfig = { TACHI_CONFIG: TachiConfig, MAX_GOAL_SUBSCRIPTIONS: 1000 };
module.exports = { TachiConfig, ServerConfig, Environment: { nodeEnv: "test" } };
