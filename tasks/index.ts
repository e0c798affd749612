import "./registry";
import "./escrow";
import "./metering";
import "./certificates";
import "./auction";
import "./auctionNash";
import "./matching";
import "./demo";
