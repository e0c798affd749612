/**
 * Types of the double auction (SPEC section 3).
 *
 * Units: energy is an integer number of watt-hours (Wh); a price is an integer in the caller's
 * "price unit" per kWh. The chain and the scenario runner use token base units per kWh
 * (src/core/units.ts); the clearing does not care which unit, only that it is an integer.
 */

export type Side = "seller" | "buyer";

/** "empty": one side has no orders, so nothing trades. */
export type MarketKind = "buyer" | "seller" | "balanced" | "empty";

/** A seller's surplus offer or a buyer's deficit request in one trading period. */
export interface Order {
  readonly id: string;
  readonly side: Side;
  /** Surplus (seller) or deficit (buyer), in Wh; must be positive. */
  readonly energyWh: bigint;
  /** The current ask (seller) or bid (buyer), price units per kWh. */
  readonly quote: bigint;
  /**
   * The participant's first-round quote (its reservation price: minimum for a seller, maximum
   * for a buyer). Ranks equal quotes; the contract stores it with the order for that reason.
   */
  readonly reservation: bigint;
  /** Arrival order, unique per side; the earlier order ranks first when everything else ties. */
  readonly seq: number;
}

/** An order picked out of a merit order: its id and its position (0-based) in that order. */
export interface RankedOrder {
  readonly id: string;
  readonly side: Side;
  readonly position: number;
}

export interface Clearing {
  readonly market: MarketKind;
  /** The uniform price, price units per kWh; 0n when the market is empty. */
  readonly price: bigint;
  /**
   * The last order of the long side that received a quota ("m" in SPEC section 3); in a
   * balanced market the last seller. Null when the market is empty.
   */
  readonly marginal: RankedOrder | null;
  /** The order whose quote is the price: m itself, or m+1 when m sold/bought exactly all. */
  readonly priceSetter: RankedOrder | null;
  /** Wh traded by every order, keyed by order id (0n for orders that trade nothing). */
  readonly allocations: ReadonlyMap<string, bigint>;
  /** Seller ids in merit order (ascending ask). */
  readonly sellerOrder: readonly string[];
  /** Buyer ids in merit order (descending bid). */
  readonly buyerOrder: readonly string[];
  readonly supplyWh: bigint;
  readonly demandWh: bigint;
}

/** One bilateral trade produced from a clearing. */
export interface Trade {
  readonly sellerId: string;
  readonly buyerId: string;
  readonly energyWh: bigint;
  /** The uniform clearing price, price units per kWh. */
  readonly price: bigint;
}

/** A participant of the Nash iteration: the order without its (changing) quote. */
export interface NashParticipant {
  readonly id: string;
  readonly side: Side;
  readonly energyWh: bigint;
  /** Minimum price (seller) or maximum price (buyer), price units per kWh; a whole tick. */
  readonly reservation: bigint;
  /** Arrival order, unique per side. */
  readonly seq: number;
}

/** Everything the Nash iteration needs: the tick, the tariff bounds and the participants. */
export interface NashMarket {
  /** Price tick in price units per kWh; every quote is a whole multiple of it. */
  readonly tick: bigint;
  /** What the grid pays a seller: the lowest allowed quote. A whole tick. */
  readonly feedInTariff: bigint;
  /** What the grid charges a buyer: the highest allowed quote. A whole tick. */
  readonly retailTariff: bigint;
  readonly participants: readonly NashParticipant[];
}
