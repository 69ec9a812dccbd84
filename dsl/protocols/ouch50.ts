// NASDAQ OUCH 5.0 (April 2023 spec text): inbound (client -> host) and outbound (host -> client) messages. Type
// codes overlap between the directions ('U', 'X', 'C', 'D', 'E', 'M', 'Q'), so each direction is its own set; over
// SoupBinTCP, unsequenced data ('U') is inbound and sequenced data ('S') outbound.
//
// Appendages: [u16 length][TagValue...], a TagValue being [u8 length][u8 tag][value]. Where the spec says the
// Appendage Length field itself is optional (it is sent only if the inbound message had one), the layout says
// `optional: true` and a message without it decodes with `appendageLength` and `appendage` undefined.
import { alpha, appendage, char, layout, message, price, signedPrice, u16, u32, u64, u8, type Layout, type MessageOf, type OptionTable } from './layout.ts';
import { MessageSet } from './codec.ts';

/** OUCH prices are 8 bytes with 4 implied decimals. */
const ouchPrice = price(8, 4);
const side = char({ B: 'buy', S: 'sell', T: 'sell short', E: 'sell short exempt' });

/** Appendix B: option tags, their names (camelCase) and value types. */
export const OUCH50_OPTIONS: OptionTable = {
  1: ['secondaryOrdRefNum', u64],
  2: ['firm', alpha(4)],
  3: ['minQty', u32],
  4: ['customerType', char({ R: 'retail designated', N: 'not retail designated' })],
  5: ['maxFloor', u32],
  6: ['priceType', char({ L: 'limit', P: 'market peg', M: 'midpoint peg', R: 'primary peg', Q: 'market maker peg' })],
  7: ['pegOffset', signedPrice(4, 4)],
  9: ['discretionPrice', ouchPrice],
  10: ['discretionPriceType', char()],
  11: ['discretionPegOffset', signedPrice(4, 4)],
  12: ['postOnly', char({ P: 'post only', N: 'no' })],
  13: ['randomReserves', u32],
  14: ['route', alpha(4)],
  15: ['expireTime', u32],
  16: ['tradeNow', char({ Y: 'yes', N: 'no' })],
  17: ['handleInst', char()],
  18: ['bboWeightIndicator', char()],
  22: ['displayQuantity', u32],
  23: ['displayPrice', ouchPrice],
  24: ['groupId', u16],
  25: ['sharesLocated', char({ Y: 'yes', N: 'no' })],
  26: ['locateBroker', alpha(4)],
  27: ['side', side],
  28: ['userRefIdx', u8],
};

/** The head of one TagValue element of an appendage: [u8 length (tag + value)][u8 tag]; the option's value follows. */
export const TagValueHead = layout('TagValue head', { length: u8, tag: u8 });

const required = appendage(OUCH50_OPTIONS, { optional: false });
const optional = appendage(OUCH50_OPTIONS, { optional: true });

// ---- inbound ----
export const EnterOrder = message('O', 'Enter Order', {
  userRefNum: u32,
  side,
  quantity: u32,
  symbol: alpha(8),
  price: ouchPrice,
  timeInForce: char({ '0': 'day', '3': 'IOC', '5': 'GTX', '6': 'GTT', E: 'after hours' }),
  display: char({ Y: 'visible', N: 'hidden', A: 'attributable' }),
  capacity: char({ A: 'agency', P: 'principal', R: 'riskless', O: 'other' }),
  interMarketSweepEligibility: char({ Y: 'eligible', N: 'not eligible' }),
  crossType: char(),
  clOrdId: alpha(14),
  appendage: required,
});
export const ReplaceOrder = message('U', 'Replace Order Request', {
  origUserRefNum: u32,
  userRefNum: u32,
  quantity: u32,
  price: ouchPrice,
  timeInForce: char(),
  display: char(),
  interMarketSweepEligibility: char(),
  clOrdId: alpha(14),
  appendage: required,
});
export const CancelOrder = message('X', 'Cancel Order Request', { userRefNum: u32, quantity: u32, appendage: optional });
export const ModifyOrder = message('M', 'Modify Order Request', { userRefNum: u32, side, quantity: u32, appendage: optional });
export const MassCancel = message('C', 'Mass Cancel Request', { userRefNum: u32, firm: alpha(4), symbol: alpha(8), appendage: required });
export const DisableOrderEntry = message('D', 'Disable Order Entry Request', { userRefNum: u32, firm: alpha(4), appendage: required });
export const EnableOrderEntry = message('E', 'Enable Order Entry Request', { userRefNum: u32, firm: alpha(4), appendage: required });
export const AccountQuery = message('Q', 'Account Query Request', { appendage: optional });

export const OUCH50_INBOUND_LAYOUTS = [EnterOrder, ReplaceOrder, CancelOrder, ModifyOrder, MassCancel, DisableOrderEntry, EnableOrderEntry, AccountQuery] as const;

// ---- outbound ----
const ts = { timestamp: u64 } as const;
export const SystemEventOut = message('S', 'System Event', { ...ts, eventCode: char({ S: 'start of day', E: 'end of day' }) });
export const OrderAccepted = message('A', 'Order Accepted', {
  ...ts,
  userRefNum: u32,
  side,
  quantity: u32,
  symbol: alpha(8),
  price: ouchPrice,
  timeInForce: char(),
  display: char(),
  orderReferenceNumber: u64,
  capacity: char(),
  interMarketSweepEligibility: char(),
  crossType: char(),
  orderState: char({ L: 'live', D: 'dead' }),
  clOrdId: alpha(14),
  appendage: required,
});
export const OrderReplaced = message('U', 'Order Replaced', {
  ...ts,
  origUserRefNum: u32,
  userRefNum: u32,
  side,
  quantity: u32,
  symbol: alpha(8),
  price: ouchPrice,
  timeInForce: char(),
  display: char(),
  orderReferenceNumber: u64,
  capacity: char(),
  interMarketSweepEligibility: char(),
  crossType: char(),
  orderState: char({ L: 'live', D: 'dead' }),
  clOrdId: alpha(14),
  appendage: required,
});
export const OrderCanceled = message('C', 'Order Canceled', { ...ts, userRefNum: u32, quantity: u32, reason: char(), appendage: optional });
export const AiqCanceled = message('D', 'AIQ Canceled', {
  ...ts,
  userRefNum: u32,
  decrementShares: u32,
  reason: char(),
  quantityPreventedFromTrading: u32,
  executionPrice: ouchPrice,
  liquidityFlag: char(),
  aiqStrategy: char(),
  appendage: optional,
});
export const OrderExecuted = message('E', 'Order Executed', {
  ...ts,
  userRefNum: u32,
  quantity: u32,
  price: ouchPrice,
  liquidityFlag: char(),
  matchNumber: u64,
  appendage: required,
});
export const BrokenTrade = message('B', 'Broken Trade', { ...ts, userRefNum: u32, matchNumber: u64, reason: char({ E: 'erroneous', C: 'consent', S: 'supervisory', X: 'external' }), clOrdId: alpha(14), appendage: optional });
export const Rejected = message('J', 'Rejected', { ...ts, userRefNum: u32, reason: u16, clOrdId: alpha(14), appendage: optional });
export const CancelPending = message('P', 'Cancel Pending', { ...ts, userRefNum: u32, appendage: optional });
export const CancelReject = message('I', 'Cancel Reject', { ...ts, userRefNum: u32, appendage: optional });
export const OrderPriorityUpdate = message('T', 'Order Priority Update', { ...ts, userRefNum: u32, price: ouchPrice, display: char(), orderReferenceNumber: u64, appendage: optional });
export const OrderModified = message('M', 'Order Modified', { ...ts, userRefNum: u32, side, quantity: u32, appendage: optional });
export const OrderRestated = message('R', 'Order Restated', { ...ts, userRefNum: u32, reason: char({ R: 'refresh of display', P: 'update of displayed price' }), appendage: required });
export const MassCancelResponse = message('X', 'Mass Cancel Response', { ...ts, userRefNum: u32, firm: alpha(4), symbol: alpha(8), appendage: required });
export const DisableOrderEntryResponse = message('G', 'Disable Order Entry Response', { ...ts, userRefNum: u32, firm: alpha(4), appendage: required });
export const EnableOrderEntryResponse = message('K', 'Enable Order Entry Response', { ...ts, userRefNum: u32, firm: alpha(4), appendage: required });
export const AccountQueryResponse = message('Q', 'Account Query Response', { ...ts, nextUserRefNum: u32, appendage: optional });

export const OUCH50_OUTBOUND_LAYOUTS = [
  SystemEventOut,
  OrderAccepted,
  OrderReplaced,
  OrderCanceled,
  AiqCanceled,
  OrderExecuted,
  BrokenTrade,
  Rejected,
  CancelPending,
  CancelReject,
  OrderPriorityUpdate,
  OrderModified,
  OrderRestated,
  MassCancelResponse,
  DisableOrderEntryResponse,
  EnableOrderEntryResponse,
  AccountQueryResponse,
] as const;

export type OuchInbound = { [K in keyof typeof OUCH50_INBOUND_LAYOUTS & number]: MessageOf<(typeof OUCH50_INBOUND_LAYOUTS)[K]> }[number];
export type OuchOutbound = { [K in keyof typeof OUCH50_OUTBOUND_LAYOUTS & number]: MessageOf<(typeof OUCH50_OUTBOUND_LAYOUTS)[K]> }[number];

export function ouch50Inbound(): MessageSet<OuchInbound> {
  return new MessageSet<OuchInbound>('OUCH 5.0 inbound', OUCH50_INBOUND_LAYOUTS as readonly Layout[]);
}
export function ouch50Outbound(): MessageSet<OuchOutbound> {
  return new MessageSet<OuchOutbound>('OUCH 5.0 outbound', OUCH50_OUTBOUND_LAYOUTS as readonly Layout[]);
}
