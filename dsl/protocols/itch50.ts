// NASDAQ TotalView-ITCH 5.0 (April 2023 revision, with 'O'): every message, in spec order. Field names are the
// spec's names in camelCase; the "Locate Code" of 'Y' is called stockLocate like everywhere else (same position).
// Message lengths are checked against the spec in test/protocols/layouts.test.ts.
import { alpha, char, layout, message, price, u16, u32, u48, u64, type Layout, type MessageOf } from './layout.ts';
import { MessageSet } from './codec.ts';

const price4 = price(4, 4);
const price8 = price(8, 8);
/** Every ITCH message starts with these, after the type byte. */
const header = { stockLocate: u16, trackingNumber: u16, timestamp: u48 } as const;
const side = char({ B: 'buy', S: 'sell' });
const crossType = char({ O: 'opening cross', C: 'closing cross', H: 'IPO / halted / paused cross', A: 'extended trading close' });

/** What every message starts with: the type code and the common header (11 bytes); the type-specific fields start
 * at its length. A unit reads these fields before it knows the type (examples/itch-feed/feed.ts). */
export const CommonHeader = layout('ITCH common header', { messageType: char(), ...header });

export const SystemEvent = message('S', 'System Event', {
  ...header,
  eventCode: char({ O: 'start of messages', S: 'start of system hours', Q: 'start of market hours', M: 'end of market hours', E: 'end of system hours', C: 'end of messages' }),
});
export const StockDirectory = message('R', 'Stock Directory', {
  ...header,
  stock: alpha(8),
  marketCategory: char(),
  financialStatusIndicator: char(),
  roundLotSize: u32,
  roundLotsOnly: char({ Y: 'round lots only', N: 'no size restriction' }),
  issueClassification: char(),
  issueSubType: alpha(2),
  authenticity: char({ P: 'live/production', T: 'test' }),
  shortSaleThresholdIndicator: char(),
  ipoFlag: char(),
  luldReferencePriceTier: char(),
  etpFlag: char(),
  etpLeverageFactor: u32,
  inverseIndicator: char(),
});
export const StockTradingAction = message('H', 'Stock Trading Action', {
  ...header,
  stock: alpha(8),
  tradingState: char({ H: 'halted', P: 'paused', Q: 'quotation only', T: 'trading' }),
  reserved: char(),
  reason: alpha(4),
});
export const RegShoRestriction = message('Y', 'Reg SHO Short Sale Price Test Restricted Indicator', {
  ...header,
  stock: alpha(8),
  regShoAction: char({ '0': 'no price test', '1': 'restriction: intraday drop', '2': 'restriction remains' }),
});
export const MarketParticipantPosition = message('L', 'Market Participant Position', {
  ...header,
  mpid: alpha(4),
  stock: alpha(8),
  primaryMarketMaker: char({ Y: 'primary', N: 'non-primary' }),
  marketMakerMode: char({ N: 'normal', P: 'passive', S: 'syndicate', R: 'pre-syndicate', L: 'penalty' }),
  marketParticipantState: char({ A: 'active', E: 'excused', W: 'withdrawn', S: 'suspended', D: 'deleted' }),
});
export const MwcbDeclineLevel = message('V', 'MWCB Decline Level', { ...header, level1: price8, level2: price8, level3: price8 });
export const MwcbStatus = message('W', 'MWCB Status', { ...header, breachedLevel: char({ '1': 'level 1', '2': 'level 2', '3': 'level 3' }) });
export const IpoQuotingPeriodUpdate = message('K', 'IPO Quoting Period Update', {
  ...header,
  stock: alpha(8),
  ipoQuotationReleaseTime: u32,
  ipoQuotationReleaseQualifier: char({ A: 'anticipated', C: 'canceled/postponed' }),
  ipoPrice: price4,
});
export const LuldAuctionCollar = message('J', 'LULD Auction Collar', {
  ...header,
  stock: alpha(8),
  auctionCollarReferencePrice: price4,
  upperAuctionCollarPrice: price4,
  lowerAuctionCollarPrice: price4,
  auctionCollarExtension: u32,
});
export const OperationalHalt = message('h', 'Operational Halt', {
  ...header,
  stock: alpha(8),
  marketCode: char({ Q: 'Nasdaq', B: 'BX', X: 'PSX' }),
  operationalHaltAction: char({ H: 'halted', T: 'resumed' }),
});
export const AddOrder = message('A', 'Add Order (no MPID attribution)', {
  ...header,
  orderReferenceNumber: u64,
  buySellIndicator: side,
  shares: u32,
  stock: alpha(8),
  price: price4,
});
export const AddOrderMpid = message('F', 'Add Order with MPID attribution', {
  ...header,
  orderReferenceNumber: u64,
  buySellIndicator: side,
  shares: u32,
  stock: alpha(8),
  price: price4,
  attribution: alpha(4),
});
export const OrderExecuted = message('E', 'Order Executed', { ...header, orderReferenceNumber: u64, executedShares: u32, matchNumber: u64 });
export const OrderExecutedWithPrice = message('C', 'Order Executed With Price', {
  ...header,
  orderReferenceNumber: u64,
  executedShares: u32,
  matchNumber: u64,
  printable: char({ N: 'non-printable', Y: 'printable' }),
  executionPrice: price4,
});
export const OrderCancel = message('X', 'Order Cancel', { ...header, orderReferenceNumber: u64, cancelledShares: u32 });
export const OrderDelete = message('D', 'Order Delete', { ...header, orderReferenceNumber: u64 });
export const OrderReplace = message('U', 'Order Replace', {
  ...header,
  originalOrderReferenceNumber: u64,
  newOrderReferenceNumber: u64,
  shares: u32,
  price: price4,
});
export const Trade = message('P', 'Trade (non-cross)', {
  ...header,
  orderReferenceNumber: u64,
  buySellIndicator: side,
  shares: u32,
  stock: alpha(8),
  price: price4,
  matchNumber: u64,
});
export const CrossTrade = message('Q', 'Cross Trade', { ...header, shares: u64, stock: alpha(8), crossPrice: price4, matchNumber: u64, crossType });
export const BrokenTrade = message('B', 'Broken Trade / Order Execution', { ...header, matchNumber: u64 });
export const Noii = message('I', 'Net Order Imbalance Indicator', {
  ...header,
  pairedShares: u64,
  imbalanceShares: u64,
  imbalanceDirection: char({ B: 'buy', S: 'sell', N: 'none', O: 'insufficient orders', P: 'paused' }),
  stock: alpha(8),
  farPrice: price4,
  nearPrice: price4,
  currentReferencePrice: price4,
  crossType,
  priceVariationIndicator: char(),
});
export const RetailPriceImprovement = message('N', 'Retail Price Improvement Indicator', {
  ...header,
  stock: alpha(8),
  interestFlag: char({ B: 'buy side', S: 'sell side', A: 'both sides', N: 'none' }),
});
export const DirectListingCapitalRaise = message('O', 'Direct Listing with Capital Raise Price Discovery', {
  ...header,
  stock: alpha(8),
  openEligibilityStatus: char({ N: 'not eligible', Y: 'eligible' }),
  minimumAllowablePrice: price4,
  maximumAllowablePrice: price4,
  nearExecutionPrice: price4,
  nearExecutionTime: u64,
  lowerPriceRangeCollar: price4,
  upperPriceRangeCollar: price4,
});

export const ITCH50_LAYOUTS = [
  SystemEvent,
  StockDirectory,
  StockTradingAction,
  RegShoRestriction,
  MarketParticipantPosition,
  MwcbDeclineLevel,
  MwcbStatus,
  IpoQuotingPeriodUpdate,
  LuldAuctionCollar,
  OperationalHalt,
  AddOrder,
  AddOrderMpid,
  OrderExecuted,
  OrderExecutedWithPrice,
  OrderCancel,
  OrderDelete,
  OrderReplace,
  Trade,
  CrossTrade,
  BrokenTrade,
  Noii,
  RetailPriceImprovement,
  DirectListingCapitalRaise,
] as const;

export type ItchMessage = { [K in keyof typeof ITCH50_LAYOUTS & number]: MessageOf<(typeof ITCH50_LAYOUTS)[K]> }[number];
export type ItchType = ItchMessage['type'];
/** The ITCH message of type T, e.g. ItchOf<'A'>. */
export type ItchOf<T extends ItchType> = Extract<ItchMessage, { type: T }>;

/** A fresh decoder/encoder for ITCH 5.0 (each instance keeps its own last failure). */
export function itch50(): MessageSet<ItchMessage> {
  return new MessageSet<ItchMessage>('ITCH 5.0', ITCH50_LAYOUTS as readonly Layout[]);
}
