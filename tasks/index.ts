import "./registry";
import "./auction";
import "./auctionNash";
import "./matching";
import "./demo";
