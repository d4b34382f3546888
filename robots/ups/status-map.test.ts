import { describe, expect, it } from 'vitest';
import { STATUS_REASONS } from '../../src/domain/status-reason.ts';
import { isTrackingStatus } from '../../src/domain/tracking-status.ts';
import { reasonOfExceptionCode } from './exception-reasons.ts';
import { knownStatusCodes, mapActivityStatus, mapActivityType, mapStatusCode } from './status-map.ts';

/** Every code of specs/ups-status-description-codes.txt (0 to 169; 1, 2, 4, 8, 9, 15, 31, 150-152 do not exist). */
const SPEC_CODES = `0 3 5 6 7 10 11 12 13 14 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30 32 33 34 35 36 37 38 39 40 41 42 43 44
  45 46 47 48 49 50 51 52 53 54 55 56 57 58 59 60 61 62 63 64 65 66 67 68 69 70 71 72 73 74 75 76 77 78 79 80 81 82 83 84 85 86
  87 88 89 90 91 92 93 94 95 96 97 98 99 100 101 102 103 104 105 106 107 108 109 110 111 112 113 114 115 116 117 118 119 120 121
  122 123 124 125 126 127 128 129 130 131 132 133 134 135 136 137 138 139 140 141 142 143 144 145 146 147 148 149 153 154 155 156
  157 158 159 160 161 162 163 164 165 166 167 168 169`
  .split(/\s+/)
  .map((code) => code.padStart(3, '0'));

/** carrier-apis.md 4.4, "Key values", with the status each must read as. */
const REFERENCE_KEY_VALUES: [string, string, string?][] = [
  ['000', 'unknown'],
  ['003', 'pending', 'retailer_label_created'],
  ...['005', '010', '025', '039', '047', '087'].map((code): [string, string] => [code, 'in_transit']),
  ...['006', '021', '037', '089', '091'].map((code): [string, string] => [code, 'out_for_delivery']),
  ['007', 'cancelled'],
  ['011', 'delivered'],
  ['012', 'in_transit'],
  ['013', 'delivery_delayed'],
  ['014', 'in_transit'],
  ['016', 'in_transit'],
  ['017', 'ready_for_pickup'],
  ['019', 'on_hold'],
  ['022', 'delivery_failed'],
  ['023', 'delivery_failed'],
  ['024', 'delivery_failed'],
  ['026', 'delivered'],
  ['029', 'on_hold'],
  ['032', 'delivery_delayed', 'weather_delay'],
  ['033', 'return_to_sender'],
  ['034', 'return_to_sender', 'carrier_returned_to_sender'],
  ['035', 'return_to_sender'],
  ['038', 'picked_up'],
  ['040', 'ready_for_pickup'],
  ['044', 'pending'],
  ['045', 'pending'],
  ...['046', '048', '086', '090'].map((code): [string, string] => [code, 'delivery_delayed']),
  ['049', 'on_hold'],
  ['050', 'on_hold', 'consignee_incorrect_address'],
  ['055', 'delivery_delayed'],
  ['059', 'damaged', 'carrier_damaged_parcel'],
  ['060', 'delivery_failed'],
  ['064', 'delivery_failed', 'consignee_refused'],
  ['068', 'lost', 'carrier_parcel_lost'],
  ['069', 'delivery_failed'],
  ['071', 'in_transit'],
  ['072', 'in_transit'],
  ['078', 'out_for_delivery'],
  ['129', 'on_hold', 'carrier_incident'],
  ['143', 'in_transit'],
  ['144', 'ready_for_pickup'],
];

describe('mapStatusCode', () => {
  it('knows exactly the codes of the UPS table, zero-padded as on the wire', () => {
    expect(knownStatusCodes().sort()).toEqual([...SPEC_CODES].sort());
  });

  it.each(SPEC_CODES)('maps %s to a valid status and reason', (code) => {
    const mapping = mapStatusCode(code);
    expect(mapping, code).toBeDefined();
    expect(isTrackingStatus(mapping?.status ?? 'missing')).toBe(true);
    if (mapping?.reason !== undefined) expect(STATUS_REASONS).toContain(mapping.reason);
  });

  it.each(REFERENCE_KEY_VALUES)('reads the reference key value %s as %s (%s)', (code, status, reason) => {
    expect(mapStatusCode(code)).toMatchObject({ status });
    expect(mapStatusCode(code)?.reason).toBe(reason);
  });

  it.each([
    ['034', 'returned to the sender'],
    ['140', 'claim paid'],
  ])('marks %s (%s) final although its status is not terminal', (code) => {
    expect(mapStatusCode(code)?.final).toBe(true);
  });

  it.each(['041', '082', '114', '127', '128', '130', '133', '140', '141', '142', '153', '154', '155', '156'])(
    'marks %s informational: it says nothing about where the parcel is',
    (code) => {
      expect(mapStatusCode(code)?.informational).toBe(true);
    },
  );

  it.each(['11', '1', '170', '150', '', 'constructor', '__proto__'])('knows nothing of %j', (code) => {
    expect(mapStatusCode(code)).toBeUndefined();
  });
});

describe('mapActivityType', () => {
  it.each([
    ['D', 'delivered'],
    ['I', 'in_transit'],
    ['M', 'pending'],
    ['MV', 'cancelled'],
    ['X', 'delivery_delayed'],
    ['DO', 'in_transit'],
    ['DD', 'in_transit'],
    ['W', 'in_transit'],
    ['NA', 'unknown'],
    ['U', 'in_transit'],
  ])('maps every activity type of the appendix: %s -> %s', (type, status) => {
    expect(mapActivityType(type)?.status).toBe(status);
  });

  it('treats updates (U) as informational', () => {
    expect(mapActivityType('U')?.informational).toBe(true);
  });

  it.each(['d', 'ZZ', 'toString'])('knows nothing of %j', (type) => {
    expect(mapActivityType(type)).toBeUndefined();
  });
});

describe('mapActivityStatus', () => {
  it.each([
    ['the status code over the type (Access Point delivery is no delivery)', { type: 'D', code: '2Q', statusCode: '161' }, { status: 'ready_for_pickup' }],
    ['the type when there is no status code', { type: 'W' }, { status: 'in_transit' }],
    ['the exception code when the status code gives no reason', { type: 'X', code: '48', statusCode: '022' }, { status: 'delivery_failed', reason: 'consignee_not_home' }],
    ['a DIALS code on an exception', { type: 'X', code: '53', statusCode: '069' }, { status: 'delivery_failed', reason: 'consignee_refused' }],
    ['the status code reason over the exception code', { type: 'X', code: '7V', statusCode: '032' }, { status: 'delivery_delayed', reason: 'weather_delay' }],
    ['no reason from a code that is not an exception', { type: 'I', code: '48', statusCode: '005' }, { status: 'in_transit' }],
    ['no reason from an exception code that gives none', { type: 'X', code: '1V', statusCode: '013' }, { status: 'delivery_delayed' }],
  ])('reads %s', (_, status, expected) => {
    expect(mapActivityStatus(status)).toEqual(expected);
  });

  it('leaves an unknown status code unmapped even when the type is known', () => {
    expect(mapActivityStatus({ type: 'D', code: 'F4', statusCode: '170' })).toBeUndefined();
  });

  it('leaves an activity with neither status code nor known type unmapped', () => {
    expect(mapActivityStatus({ type: 'ZZ' })).toBeUndefined();
    expect(mapActivityStatus({})).toBeUndefined();
  });
});

describe('reasonOfExceptionCode', () => {
  it.each([
    ['48', 'consignee_not_home'],
    ['55', 'consignee_business_closed'],
    ['KT', 'consignee_refused'],
    ['AF', 'consignee_incorrect_address'],
    ['3N', 'consignee_not_collected'],
    ['45', 'carrier_damaged_parcel'],
    ['S9', 'carrier_parcel_lost'],
    ['6', 'carrier_sorting_error'],
    ['16', 'carrier_incident'],
    ['B5', 'customs_documentation'],
    ['5', 'customs_delay'],
    ['1C', 'customs_duties_unpaid'],
    ['7W', 'weather_delay'],
    ['DF', 'force_majeure'],
    ['UA', 'carrier_returned_to_sender'],
    ['CI', 'consignee_not_home'],
  ])('reads %s as %s', (code, reason) => {
    expect(reasonOfExceptionCode(code)).toBe(reason);
    expect(STATUS_REASONS).toContain(reason);
  });

  it.each(['1V', '99', 'ZZ', 'hasOwnProperty', ''])('gives no reason for %j', (code) => {
    expect(reasonOfExceptionCode(code)).toBeUndefined();
  });
});
