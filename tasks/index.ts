import "./registry";
import "./escrow";
import "./metering";
import "./certificates";
import "./demo";
