import "./registry";
import "./auction";
import "./auctionNash";
import "./demo";
