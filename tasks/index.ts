import "./registry";
import "./demo";
