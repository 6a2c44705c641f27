// Generates tests/unit/data/typed_data_vectors.json: generic EIP-712 typed data (nested structs,
// Permit2 witness transfers exact and upto, EIP-2612 Permit, EIP-3009, the EIP-712 spec's Mail
// example, every atomic field type but arrays, and domains with one to five fields) with the
// type strings, type hashes, struct hashes, domain separators, digests and signatures computed by
// viem (the library x402 1.2.0 and @x402/evm 2.27 sign and verify with), so the C++ generic
// EIP-712 encoder (src/x402/evm/eip712.cc) is tested against the reference, not against itself.
//
//   cd tests/e2e && node make_typed_data_vectors.mjs > ../unit/data/typed_data_vectors.json
//
// Deterministic: fixed private keys and messages, and viem's signatures are RFC 6979 (no
// randomness). The JSON gives every integer as a decimal string and every struct as a nested
// object; viem is given the same values with the integers as bigints. Array types are left out:
// the C++ encoder does not support them.
import {
  domainSeparator, getTypesForEIP712Domain, hashStruct, hashTypedData, keccak256, toHex, concat,
  recoverTypedDataAddress, getAddress,
} from 'viem';
import { privateKeyToAccount } from 'viem/accounts';

// viem 2.57 exports encodeType from neither 'viem' nor 'viem/utils' (its package.json "exports"
// also closes the deep path), so load the module that defines it by file URL, next to the entry
// point 'viem' resolves to: the same module instance hashStruct comes from.
const hashTypedDataModule = await import(new URL('./utils/signature/hashTypedData.js', import.meta.resolve('viem')));
const { encodeType } = hashTypedDataModule;
if (typeof encodeType !== 'function' || hashTypedDataModule.hashStruct !== hashStruct) {
  throw new Error('viem: encodeType not found beside the hashStruct that "viem" exports');
}

const key = (n) => `0x${n.toString(16).padStart(64, '0')}`;
const hex32 = (n) => `0x${n.toString(16).padStart(64, '0')}`;
// Random-looking but fixed 256-bit numbers, as x402 draws Permit2 nonces.
const fixedRandom = (label) => BigInt(keccak256(toHex(label))).toString();
const MAX_UINT256 = (2n ** 256n - 1n).toString();

// The type sets x402 signs with, as @x402/evm 2.27 declares them (dist/esm/chunk-SGFNIWGK.mjs:
// permit2WitnessTypes, uptoPermit2WitnessTypes, eip2612PermitTypes, authorizationTypes).
const permit2WitnessTypes = {
  PermitWitnessTransferFrom: [
    { name: 'permitted', type: 'TokenPermissions' },
    { name: 'spender', type: 'address' },
    { name: 'nonce', type: 'uint256' },
    { name: 'deadline', type: 'uint256' },
    { name: 'witness', type: 'Witness' },
  ],
  TokenPermissions: [
    { name: 'token', type: 'address' },
    { name: 'amount', type: 'uint256' },
  ],
  Witness: [
    { name: 'to', type: 'address' },
    { name: 'validAfter', type: 'uint256' },
  ],
};
const uptoPermit2WitnessTypes = {
  PermitWitnessTransferFrom: permit2WitnessTypes.PermitWitnessTransferFrom,
  TokenPermissions: permit2WitnessTypes.TokenPermissions,
  Witness: [
    { name: 'to', type: 'address' },
    { name: 'facilitator', type: 'address' },
    { name: 'validAfter', type: 'uint256' },
  ],
};
const eip2612PermitTypes = {
  Permit: [
    { name: 'owner', type: 'address' },
    { name: 'spender', type: 'address' },
    { name: 'value', type: 'uint256' },
    { name: 'nonce', type: 'uint256' },
    { name: 'deadline', type: 'uint256' },
  ],
};
const eip3009Types = {
  TransferWithAuthorization: [
    { name: 'from', type: 'address' },
    { name: 'to', type: 'address' },
    { name: 'value', type: 'uint256' },
    { name: 'validAfter', type: 'uint256' },
    { name: 'validBefore', type: 'uint256' },
    { name: 'nonce', type: 'bytes32' },
  ],
};

const PERMIT2 = '0x000000000022D473030F116dDEE9F6B43aC78BA3';
const EXACT_PERMIT2_PROXY = '0x402085c248EeA27D92E8b30b2C58ed07f9E20001';
const UPTO_PERMIT2_PROXY = '0x4020A4f3b7b90ccA423B9fabCc0CE57C6C240002';
// The mock's facilitator signer (src/server/router.cc) spells it "0x…402dEF", which is not its
// EIP-55 checksum; @x402/evm's upto client passes it through getAddress before signing, giving
// the all-lower-case checksummed form (viem rejects the mixed-case spelling in a message).
const FACILITATOR = getAddress('0x0000000000000000000000000000000000402dEF');
const PAY_TO = '0x2B5AD5c4795c026514f8317c7a215E218DcCD6cF';
const USDC_BASE_SEPOLIA = '0x036CbD53842c5426634e7929541eC2318f3dCF7e';
const USDC_BASE = '0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913';
const MEGAUSD = '0xFAfDdbb3FC7688494971a79cc65DCa3EF82079E7';
const USDT0_ARBITRUM = '0xFd086bC7CD5C481DCC9C85ebE478A1C0b69FCbb9';
const permit2Domain = (chainId) => ({ name: 'Permit2', chainId, verifyingContract: PERMIT2 });

const mailTypes = {
  Person: [
    { name: 'name', type: 'string' },
    { name: 'wallet', type: 'address' },
  ],
  Mail: [
    { name: 'from', type: 'Person' },
    { name: 'to', type: 'Person' },
    { name: 'contents', type: 'string' },
  ],
};
const mailDomain = { name: 'Ether Mail', version: '1', chainId: 1, verifyingContract: '0xCcCCccccCCCCcCCCCCCcCcCccCcCCCcCcccccccC' };
const mailMessage = {
  from: { name: 'Cow', wallet: '0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826' },
  to: { name: 'Bob', wallet: '0xbBbBBBBbbBBBbbbBbbBbbbbBBbBbbbbBbBbbBBbB' },
  contents: 'Hello, Bob!',
};
// The digest the EIP-712 specification gives for its Mail example (signed by keccak256("cow")).
const SPEC_MAIL_DIGEST = '0xbe609aee343fb3c4b28e1df9e632fca64fcfaede20f02e86244efddf30957bd2';

// The primary type "Order" sorts between Beta and Zeta, so only "primary first, then the rest
// sorted" gives Order(..)Alpha(..)Beta(..)Zeta(..); Beta is reached through Alpha (transitive)
// and again through Zeta (listed once).
const orderingTypes = {
  Order: [
    { name: 'zeta', type: 'Zeta' },
    { name: 'alpha', type: 'Alpha' },
    { name: 'id', type: 'uint256' },
  ],
  Zeta: [
    { name: 'beta', type: 'Beta' },
    { name: 'note', type: 'string' },
  ],
  Alpha: [
    { name: 'beta', type: 'Beta' },
    { name: 'who', type: 'address' },
  ],
  Beta: [
    { name: 'flag', type: 'bool' },
    { name: 'amount', type: 'uint256' },
  ],
};
// Type names compared by code unit, as viem's Array.prototype.sort: upper case before lower case
// ("Zulu" < "apple" < "apple2" < "apple_"), a name that prefixes another first.
const caseOrderingTypes = {
  Root: [
    { name: 'a', type: 'apple_' },
    { name: 'b', type: 'apple2' },
    { name: 'c', type: 'apple' },
    { name: 'd', type: 'Zulu' },
  ],
  apple: [{ name: 'x', type: 'uint8' }],
  apple2: [{ name: 'x', type: 'uint8' }],
  apple_: [{ name: 'x', type: 'uint8' }],
  Zulu: [{ name: 'x', type: 'uint8' }],
};
// A type in the set that the primary type does not reach: not part of encodeType.
const unreferencedTypes = {
  Ticket: [
    { name: 'event', type: 'string' },
    { name: 'seat', type: 'Seat' },
  ],
  Seat: [
    { name: 'row', type: 'uint16' },
    { name: 'number', type: 'uint16' },
  ],
  Unused: [{ name: 'ignored', type: 'address' }],
};
const atomicTypes = {
  Atomic: [
    { name: 'flag', type: 'bool' },
    { name: 'data', type: 'bytes' },
    { name: 'text', type: 'string' },
    { name: 'hash', type: 'bytes32' },
    { name: 'small', type: 'uint8' },
    { name: 'medium', type: 'uint64' },
    { name: 'signed', type: 'int256' },
    { name: 'account', type: 'address' },
  ],
};
const atomicExtraTypes = {
  AtomicExtra: [
    { name: 'b1', type: 'bytes1' },
    { name: 'b4', type: 'bytes4' },
    { name: 'b31', type: 'bytes31' },
    { name: 'i8', type: 'int8' },
    { name: 'i64', type: 'int64' },
    { name: 'i256min', type: 'int256' },
    { name: 'i256max', type: 'int256' },
    { name: 'u8', type: 'uint8' },
    { name: 'u128', type: 'uint128' },
    { name: 'u256', type: 'uint256' },
    { name: 'u', type: 'uint160' },
  ],
};
const noteTypes = {
  Note: [
    { name: 'text', type: 'string' },
    { name: 'amount', type: 'uint256' },
  ],
};
const noteMessage = { text: 'domain check', amount: '42' };

const cases = [
  // 1. Permit2 exact: the witness transfer x402 "exact" signs for Permit2-only tokens.
  {
    name: 'permit2_exact_base_sepolia', key: 1n, domain: permit2Domain(84532), types: permit2WitnessTypes,
    primaryType: 'PermitWitnessTransferFrom',
    message: {
      permitted: { token: USDC_BASE_SEPOLIA, amount: '10000' }, spender: EXACT_PERMIT2_PROXY,
      nonce: fixedRandom('permit2_exact_base_sepolia nonce'), deadline: '1800000300', witness: { to: PAY_TO, validAfter: '0' },
    },
  },
  {
    name: 'permit2_exact_base', key: 3n, domain: permit2Domain(8453), types: permit2WitnessTypes,
    primaryType: 'PermitWitnessTransferFrom',
    message: {
      permitted: { token: USDC_BASE, amount: '1' }, spender: EXACT_PERMIT2_PROXY,
      nonce: fixedRandom('permit2_exact_base nonce'), deadline: '1700000600',
      witness: { to: '0x6813Eb9362372EEF6200f3b1dbC3f819671cBA69', validAfter: '1700000000' },
    },
  },
  {
    name: 'permit2_exact_megaeth', key: 0xc0ffeen, domain: permit2Domain(4326), types: permit2WitnessTypes,
    primaryType: 'PermitWitnessTransferFrom',
    message: {
      permitted: { token: MEGAUSD, amount: '2500000000000000000' }, spender: EXACT_PERMIT2_PROXY,
      nonce: fixedRandom('permit2_exact_megaeth nonce'), deadline: '1800000300', witness: { to: PAY_TO, validAfter: '1799999700' },
    },
  },
  {
    name: 'permit2_exact_extremes', key: 2n ** 200n + 99n, domain: permit2Domain(84532), types: permit2WitnessTypes,
    primaryType: 'PermitWitnessTransferFrom',
    message: {
      permitted: { token: USDC_BASE_SEPOLIA, amount: MAX_UINT256 }, spender: EXACT_PERMIT2_PROXY,
      nonce: '0', deadline: (2n ** 200n).toString(),
      witness: { to: '0x000000000000000000000000000000000000dEaD', validAfter: MAX_UINT256 },
    },
  },
  // 2. Permit2 upto: the witness names the facilitator allowed to settle.
  {
    name: 'permit2_upto_base_sepolia', key: 1n, domain: permit2Domain(84532), types: uptoPermit2WitnessTypes,
    primaryType: 'PermitWitnessTransferFrom',
    message: {
      permitted: { token: USDC_BASE_SEPOLIA, amount: '50000' }, spender: UPTO_PERMIT2_PROXY,
      nonce: fixedRandom('permit2_upto_base_sepolia nonce'), deadline: '1800000300',
      witness: { to: PAY_TO, facilitator: FACILITATOR, validAfter: '0' },
    },
  },
  {
    name: 'permit2_upto_megaeth', key: 7n, domain: permit2Domain(4326), types: uptoPermit2WitnessTypes,
    primaryType: 'PermitWitnessTransferFrom',
    message: {
      permitted: { token: MEGAUSD, amount: '123456789012345678901234567890' }, spender: UPTO_PERMIT2_PROXY,
      nonce: fixedRandom('permit2_upto_megaeth nonce'), deadline: '4102444800',
      witness: { to: '0x1efF47bc3a10a45D4B230B5d10E37751FE6AA718', facilitator: FACILITATOR, validAfter: '1700000000' },
    },
  },
  // 3. EIP-2612 Permit (owner is the signer), approving Permit2.
  {
    name: 'eip2612_permit_megausd', key: 3n,
    domain: { name: 'MegaUSD', version: '1', chainId: 4326, verifyingContract: MEGAUSD }, types: eip2612PermitTypes,
    primaryType: 'Permit', message: ({ signer }) => ({ owner: signer, spender: PERMIT2, value: MAX_UINT256, nonce: '0', deadline: '1800000300' }),
  },
  {
    name: 'eip2612_permit_usdt0_non_ascii_name', key: 0xc0ffeen,
    domain: { name: 'USD\u20AE0', version: '1', chainId: 42161, verifyingContract: USDT0_ARBITRUM }, types: eip2612PermitTypes,
    primaryType: 'Permit', message: ({ signer }) => ({ owner: signer, spender: PERMIT2, value: '10000', nonce: '1', deadline: '1800000300' }),
  },
  {
    name: 'eip2612_permit_unicode_name', key: 2n ** 200n + 99n,
    domain: { name: 'Ünïcödé 名前', version: '1', chainId: 4326, verifyingContract: MEGAUSD }, types: eip2612PermitTypes,
    primaryType: 'Permit', message: ({ signer }) => ({ owner: signer, spender: PERMIT2, value: '999', nonce: '7', deadline: '1700000600' }),
  },
  // 4. EIP-3009, the flat case the dedicated TransferWithAuthorization code also handles.
  {
    name: 'eip3009_transfer_with_authorization', key: 1n,
    domain: { name: 'USDC', version: '2', chainId: 84532, verifyingContract: USDC_BASE_SEPOLIA }, types: eip3009Types,
    primaryType: 'TransferWithAuthorization',
    message: ({ signer }) => ({
      from: signer, to: PAY_TO, value: '10000', validAfter: '0', validBefore: '1800000300', nonce: hex32(0xaaaan),
    }),
  },
  // 5. Generic coverage.
  {
    name: 'eip712_spec_mail', key: BigInt(keccak256(toHex('cow'))), domain: mailDomain, types: mailTypes,
    primaryType: 'Mail', message: mailMessage, expectDigest: SPEC_MAIL_DIGEST,
  },
  {
    name: 'type_order_transitive', key: 3n,
    domain: { name: 'Ordering', version: '1', chainId: 1, verifyingContract: '0x0000000000000000000000000000000000000001' },
    types: orderingTypes, primaryType: 'Order',
    message: {
      zeta: { beta: { flag: false, amount: '2' }, note: 'z' },
      alpha: { beta: { flag: true, amount: '1' }, who: PAY_TO },
      id: '77',
    },
  },
  {
    name: 'type_order_case_sensitive', key: 1n, domain: { name: 'Case', chainId: 8453 },
    types: caseOrderingTypes, primaryType: 'Root',
    message: { a: { x: '1' }, b: { x: '2' }, c: { x: '3' }, d: { x: '255' } },
  },
  {
    name: 'unreferenced_type_ignored', key: 0xc0ffeen, domain: { name: 'Tickets', version: '2', chainId: 10 },
    types: unreferencedTypes, primaryType: 'Ticket',
    message: { event: 'x402 conf', seat: { row: '12', number: '65535' } },
  },
  {
    name: 'atomic_types', key: 1n,
    domain: { name: 'Atomic', version: '1', chainId: 84532, verifyingContract: '0x036CbD53842c5426634e7929541eC2318f3dCF7e' },
    types: atomicTypes, primaryType: 'Atomic',
    message: {
      flag: true, data: '0xdeadbeef', text: '', hash: hex32(0x1234n), small: '255',
      medium: (2n ** 64n - 1n).toString(), signed: '-5', account: '0x000000000000000000000000000000000000dEaD',
    },
  },
  {
    name: 'atomic_types_empty_bytes_non_ascii_string', key: 3n,
    domain: { name: 'Atomic', version: '1', chainId: 84532, verifyingContract: '0x036CbD53842c5426634e7929541eC2318f3dCF7e' },
    types: atomicTypes, primaryType: 'Atomic',
    message: {
      flag: false, data: '0x', text: 'Grüße, 世界! ₮ 🚀', hash: hex32(2n ** 256n - 1n), small: '0',
      medium: '0', signed: '5', account: '0x0000000000000000000000000000000000000000',
    },
  },
  {
    name: 'atomic_types_long_bytes_negative_one', key: 2n ** 200n + 99n,
    domain: { name: 'Atomic', version: '1', chainId: 84532, verifyingContract: '0x036CbD53842c5426634e7929541eC2318f3dCF7e' },
    types: atomicTypes, primaryType: 'Atomic',
    message: {
      flag: true, data: `0x${'ab'.repeat(33)}`, text: 'x'.repeat(100), hash: hex32(0n), small: '7',
      medium: '4294967296', signed: '-1', account: PAY_TO,
    },
  },
  {
    name: 'atomic_extra_sizes', key: 7n, domain: { name: 'Extra', version: '1', chainId: 1 },
    types: atomicExtraTypes, primaryType: 'AtomicExtra',
    message: {
      b1: '0x7f', b4: '0xdeadbeef', b31: `0x${'01'.repeat(31)}`, i8: '-128', i64: (-(2n ** 63n)).toString(),
      i256min: (-(2n ** 255n)).toString(), i256max: (2n ** 255n - 1n).toString(), u8: '128',
      u128: (2n ** 128n - 1n).toString(), u256: '0', u: (2n ** 160n - 1n).toString(),
    },
  },
  {
    name: 'domain_name_only', key: 1n, domain: { name: 'Only a name' },
    types: noteTypes, primaryType: 'Note', message: noteMessage,
  },
  {
    name: 'domain_chain_id_and_verifying_contract', key: 3n,
    domain: { chainId: 100, verifyingContract: '0xd9Db270c1B5E3Bd161E8c8503c55cEABeE709552' },
    types: noteTypes, primaryType: 'Note', message: noteMessage,
  },
  {
    name: 'domain_all_fields_with_salt', key: 0xc0ffeen,
    domain: {
      name: 'Salted', version: '3.1', chainId: 4294967296 * 3 + 7,
      verifyingContract: '0xCcCCccccCCCCcCCCCCCcCcCccCcCCCcCcccccccC', salt: hex32(BigInt(keccak256(toHex('salt')))),
    },
    types: noteTypes, primaryType: 'Note', message: noteMessage,
  },
];

// JSON message -> viem message: integer fields as bigints, structs recursively, the rest as is.
const integerType = /^u?int[0-9]*$/;
function toViem(types, primaryType, data) {
  const out = {};
  for (const { name, type } of types[primaryType]) {
    const value = data[name];
    if (types[type]) out[name] = toViem(types, type, value);
    else if (integerType.test(type)) out[name] = BigInt(value);
    else out[name] = value;
  }
  return out;
}

const vectors = [];
for (const c of cases) {
  const account = privateKeyToAccount(key(c.key));
  const message = typeof c.message === 'function' ? c.message({ signer: account.address }) : c.message;
  const typed = { domain: c.domain, types: c.types, primaryType: c.primaryType, message: toViem(c.types, c.primaryType, message) };
  const domainTypes = { EIP712Domain: getTypesForEIP712Domain({ domain: c.domain }) };
  const encodedType = encodeType({ primaryType: c.primaryType, types: c.types });
  const structHash = hashStruct({ data: typed.message, primaryType: c.primaryType, types: c.types });
  const separator = domainSeparator({ domain: c.domain });
  const digest = hashTypedData(typed);
  const signature = await account.signTypedData(typed);
  // Self-checks, so a wrong vector fails here rather than in the C++ tests.
  if (keccak256(concat(['0x1901', separator, structHash])) !== digest) throw new Error(`${c.name}: digest`);
  if (getAddress(await recoverTypedDataAddress({ ...typed, signature })) !== account.address) throw new Error(`${c.name}: recovery`);
  if (c.expectDigest && digest !== c.expectDigest) throw new Error(`${c.name}: not the specification's digest`);
  vectors.push({
    name: c.name,
    domain: c.domain,
    domainType: encodeType({ primaryType: 'EIP712Domain', types: domainTypes }),
    types: c.types,
    primaryType: c.primaryType,
    message,
    encodeType: encodedType,
    typeHash: keccak256(toHex(encodedType)),
    structHash,
    domainSeparator: separator,
    digest,
    signature,
    signer: account.address,
  });
}

process.stdout.write(`${JSON.stringify({
  generator: 'tests/e2e/make_typed_data_vectors.mjs',
  viem: (await import('viem/package.json', { with: { type: 'json' } })).default.version,
  vectors,
}, null, 1)}\n`);
