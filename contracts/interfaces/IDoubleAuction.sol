// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title IDoubleAuction
/// @notice A uniform-price double auction per trading period (SPEC section 3), run in rounds
/// toward a Nash equilibrium. Quotes are revised during a round; closeRound publishes the
/// tentative result; a round without revisions (or the round limit) ends the auction; finalize
/// turns the result into bilateral trades in the escrow.
/// @dev Energy is denominated in Wh, prices in token base units per kWh.
interface IDoubleAuction {
    enum Side {
        Seller,
        Buyer
    }

    enum Phase {
        None,
        Open,
        Cleared,
        Finalized
    }

    /// @notice Which side is long: Buyer = buyer's market (supply > demand), Seller = seller's market.
    enum MarketType {
        Empty,
        Buyer,
        Seller,
        Balanced
    }

    /// @notice What the operator fixes when it opens a period.
    /// @param region grid zone whose participants may quote (0 = every region)
    /// @param tick price step; every quote is a whole number of ticks (token base units per kWh)
    /// @param feedInTariff lowest quote: what the grid pays (token base units per kWh)
    /// @param retailTariff highest quote: what the grid charges (token base units per kWh)
    /// @param roundDuration seconds after which anyone may close a round
    /// @param maxRounds the auction ends after this many rounds at the latest
    /// @param orderCap the most orders this period accepts (bounds every loop over its orders)
    /// @param margin token base units locked per order, returned after honest completion
    /// @param deliveryStart / deliveryEnd / settlementDeadline passed on to the trades
    struct PeriodParams {
        uint16 region;
        uint64 tick;
        uint64 feedInTariff;
        uint64 retailTariff;
        uint32 roundDuration;
        uint16 maxRounds;
        uint32 orderCap;
        uint128 margin;
        uint64 deliveryStart;
        uint64 deliveryEnd;
        uint64 settlementDeadline;
    }

    /// @dev Slot 1 holds all the clearing reads (energy, quotes, side, status); slot 2 the owner.
    struct Order {
        uint64 energyWh;
        uint64 quote;
        uint64 firstQuote;
        Side side;
        bool cancelled;
        address participant;
    }

    /// @notice The published result of a round (the last one is the final result).
    /// @param marginal merit position of m, the last order of the long side with a quota
    /// @param priceSetter merit position of the order whose quote is the price (m or m+1)
    /// @param marginalAllocationWh what m trades; every order before m trades in full, every one after nothing
    struct RoundResult {
        MarketType market;
        uint64 price;
        uint32 marginal;
        uint32 priceSetter;
        uint64 marginalAllocationWh;
        uint128 supplyWh;
        uint128 demandWh;
    }

    struct PeriodState {
        Phase phase;
        uint16 round;
        uint64 roundEndsAt;
        uint32 revisionsThisRound;
        uint32 activeSellers;
        uint32 activeBuyers;
    }

    // ---------------------------------------------------------------- events
    /// @notice The operator opened period `periodId`.
    /// @param periodId the new period
    /// @param params what the operator fixed
    event PeriodOpened(uint256 indexed periodId, PeriodParams params);
    /// @notice A participant placed an order.
    /// @param periodId the period
    /// @param orderIndex the order's index
    /// @param participant who placed it
    /// @param side Seller or Buyer
    /// @param energyWh energy offered or wanted, denominated in Wh
    /// @param price the quote and reservation, in token base units per kWh
    event OrderPlaced(uint256 indexed periodId, uint32 indexed orderIndex, address indexed participant, Side side, uint64 energyWh, uint64 price);
    /// @notice A participant withdrew its order.
    /// @param periodId the period
    /// @param orderIndex the order's index
    /// @param participant who withdrew it
    event OrderCancelled(uint256 indexed periodId, uint32 indexed orderIndex, address indexed participant);
    /// @notice A participant revised its quote.
    /// @param periodId the period
    /// @param round the round
    /// @param orderIndex the order's index
    /// @param oldQuote the quote before
    /// @param newQuote the quote now
    event QuoteRevised(uint256 indexed periodId, uint16 indexed round, uint32 indexed orderIndex, uint64 oldQuote, uint64 newQuote);
    /// @notice A round closed with this result.
    /// @param periodId the period
    /// @param round the round closed
    /// @param market which side is long (see MarketType)
    /// @param price the uniform price, in token base units per kWh
    /// @param marginalOrder merit position of m, the last order of the long side with a quota
    /// @param priceSetterOrder merit position of the order whose quote is the price (m or m+1)
    /// @param marginalAllocationWh what m trades, denominated in Wh
    /// @param supplyWh total supply, denominated in Wh
    /// @param demandWh total demand, denominated in Wh
    /// @param revisions quotes revised during the round
    event RoundClosed(
        uint256 indexed periodId,
        uint16 indexed round,
        MarketType market,
        uint64 price,
        uint32 marginalOrder,
        uint32 priceSetterOrder,
        uint64 marginalAllocationWh,
        uint128 supplyWh,
        uint128 demandWh,
        uint32 revisions
    );
    /// @notice The auction of `periodId` ended; its last round result is final.
    /// @param periodId the period
    /// @param rounds rounds run
    /// @param price the final price, in token base units per kWh
    /// @param meritOrderHash hash of the final merit orders, which finalize must repeat
    event AuctionEnded(uint256 indexed periodId, uint16 rounds, uint64 price, bytes32 meritOrderHash);
    /// @notice finalize created a trade.
    /// @param periodId the period
    /// @param tradeId the escrow's trade id
    /// @param sellerOrder the seller's order index
    /// @param buyerOrder the buyer's order index
    /// @param energyWh energy traded, denominated in Wh
    /// @param price the uniform price, in token base units per kWh
    event TradeMatched(uint256 indexed periodId, uint256 indexed tradeId, uint32 sellerOrder, uint32 buyerOrder, uint64 energyWh, uint64 price);
    /// @notice finalize returned what an order had locked beyond its trades.
    /// @param periodId the period
    /// @param orderIndex the order's index
    /// @param unlocked the amount returned, in token base units
    event OrderReleased(uint256 indexed periodId, uint32 indexed orderIndex, uint256 unlocked);
    /// @notice finalize reached the end of period `periodId`.
    /// @param periodId the period
    /// @param trades trades created
    event PeriodFinalized(uint256 indexed periodId, uint32 trades);

    // ---------------------------------------------------------------- errors
    error AuctionInvalidParams(string field);
    error AuctionUnknownPeriod(uint256 periodId);
    error AuctionWrongPhase(uint256 periodId, Phase phase);
    error AuctionOrdersClosed(uint256 periodId, uint16 round);
    error AuctionRevisionsNotOpen(uint256 periodId, uint16 round);
    error AuctionWrongRegion(address participant, uint16 region, uint16 periodRegion);
    error AuctionDuplicateOrder(uint256 periodId, address participant, uint32 orderIndex);
    error AuctionNoOrder(uint256 periodId, address participant);
    error AuctionZeroEnergy();
    error AuctionPriceOutOfRange(uint64 price, uint64 feedInTariff, uint64 retailTariff);
    error AuctionPriceNotOnTick(uint64 price, uint64 tick);
    error AuctionBeyondReservation(uint32 orderIndex, uint64 price, uint64 reservation);
    error AuctionQuoteUnchanged(uint32 orderIndex, uint64 price);
    error AuctionOrderCapReached(uint256 periodId, uint32 orderCap);
    error AuctionRoundNotOver(uint256 periodId, uint64 endsAt);
    error AuctionRoundOver(uint256 periodId, uint64 endedAt);
    error AuctionBookTooLargeToSort(uint256 orders, uint256 maxOrders);
    error AuctionMeritOrderLength(Side side, uint256 given, uint256 expected);
    error AuctionMeritOrderIndex(Side side, uint256 position, uint256 orderIndex);
    error AuctionMeritOrderNotSorted(Side side, uint256 position);
    error AuctionMeritOrderMismatch(bytes32 given, bytes32 committed);
    error AuctionZeroSteps();
}
