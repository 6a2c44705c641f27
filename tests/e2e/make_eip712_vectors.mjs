// Generates tests/unit/data/eip712_vectors.json: EIP-712 TransferWithAuthorization digests,
// signatures and recovered addresses computed by viem (the library x402 1.2.0 and @x402/evm
// 2.27 sign and verify with), so the C++ signature check (src/x402/evm/eip712.cc,
// signer_recovery.cc) is tested against the reference, not against itself.
//
//   node tests/e2e/make_eip712_vectors.mjs > tests/unit/data/eip712_vectors.json
//
// Deterministic: fixed private keys, and viem's signatures are RFC 6979 (no randomness).
import {
  domainSeparator, hashTypedData, recoverAddress, parseSignature, serializeSignature, getAddress,
} from 'viem';
import { privateKeyToAccount } from 'viem/accounts';

const types = {
  TransferWithAuthorization: [
    { name: 'from', type: 'address' },
    { name: 'to', type: 'address' },
    { name: 'value', type: 'uint256' },
    { name: 'validAfter', type: 'uint256' },
    { name: 'validBefore', type: 'uint256' },
    { name: 'nonce', type: 'bytes32' },
  ],
};
const N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
const key = (n) => `0x${n.toString(16).padStart(64, '0')}`;
const hex32 = (n) => `0x${n.toString(16).padStart(64, '0')}`;

const domains = [
  { name: 'USDC', version: '2', chainId: 84532, verifyingContract: '0x036CbD53842c5426634e7929541eC2318f3dCF7e' },
  { name: 'USD Coin', version: '2', chainId: 8453, verifyingContract: '0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913' },
  { name: 'Token with a longer name, ünïcode', version: '1.0.3', chainId: 1, verifyingContract: '0xdAC17F958D2ee523a2206206994597C13D831ec7' },
  { name: 'X', version: '', chainId: 4294967296 * 3 + 7, verifyingContract: '0x0000000000000000000000000000000000000001' },
];
const messages = [
  { key: 1n, to: '0x2B5AD5c4795c026514f8317c7a215E218DcCD6cF', value: 10000n, validAfter: 0n, validBefore: 1800000300n, nonce: hex32(0xaaaan) },
  { key: 3n, to: '0x6813Eb9362372EEF6200f3b1dbC3f819671cBA69', value: 1n, validAfter: 1700000000n, validBefore: 1700000600n, nonce: hex32(2n ** 255n + 12345n) },
  { key: 0xc0ffeen, to: '0x000000000000000000000000000000000000dEaD', value: 2n ** 256n - 1n, validAfter: 2n ** 64n, validBefore: 2n ** 200n, nonce: hex32(2n ** 256n - 1n) },
  { key: 2n ** 200n + 99n, to: '0x1efF47bc3a10a45D4B230B5d10E37751FE6AA718', value: 123456789012345678901234567890n, validAfter: 5n, validBefore: 6n, nonce: hex32(0n) },
];

const str = (m) => ({
  from: m.from, to: m.to, value: m.value.toString(), validAfter: m.validAfter.toString(),
  validBefore: m.validBefore.toString(), nonce: m.nonce,
});

async function vector(name, { signedDomain, signedMessage, signerKey, presentedDomain, presentedMessage, sigForm = 'v27' }) {
  const account = privateKeyToAccount(signerKey);
  let signature = await account.signTypedData({ domain: signedDomain, types, primaryType: 'TransferWithAuthorization', message: signedMessage });
  const parsed = parseSignature(signature);
  if (sigForm === 'v01') {
    signature = `${signature.slice(0, 130)}${parsed.yParity === 0 ? '00' : '01'}`;
  } else if (sigForm === 'highS') {
    // The same signature with s' = n - s and the other parity: the same signer recovers.
    const s = N - BigInt(parsed.s);
    signature = serializeSignature({ r: parsed.r, s: hex32(s), yParity: 1 - parsed.yParity });
  }
  const domain = presentedDomain ?? signedDomain;
  const message = presentedMessage ?? signedMessage;
  const digest = hashTypedData({ domain, types, primaryType: 'TransferWithAuthorization', message });
  const recovered = getAddress(await recoverAddress({ hash: digest, signature }));
  return {
    name,
    domain,
    message: str(message),
    domainSeparator: domainSeparator({ domain }),
    digest,
    signature,
    recovered,
    valid: recovered === getAddress(message.from),
  };
}

const vectors = [];
for (let d = 0; d < domains.length; ++d) {
  for (let m = 0; m < messages.length; ++m) {
    const { key: k, ...rest } = messages[m];
    const signerKey = key(k);
    const message = { from: privateKeyToAccount(signerKey).address, ...rest };
    const base = { signedDomain: domains[d], signedMessage: message, signerKey };
    vectors.push(await vector(`domain${d}_message${m}`, base));
    if (d === m) {
      vectors.push(await vector(`domain${d}_message${m}_v01`, { ...base, sigForm: 'v01' }));
      vectors.push(await vector(`domain${d}_message${m}_high_s`, { ...base, sigForm: 'highS' }));
      // Altered after signing: each should recover someone other than `from`.
      vectors.push(await vector(`domain${d}_message${m}_tampered_value`, { ...base, presentedMessage: { ...message, value: message.value ^ 1n } }));
      vectors.push(await vector(`domain${d}_message${m}_tampered_to`, { ...base, presentedMessage: { ...message, to: '0x000000000000000000000000000000000000bEEF' } }));
      vectors.push(await vector(`domain${d}_message${m}_tampered_chain_id`, { ...base, presentedDomain: { ...domains[d], chainId: domains[d].chainId + 1 } }));
      vectors.push(await vector(`domain${d}_message${m}_tampered_verifying_contract`, { ...base, presentedDomain: { ...domains[d], verifyingContract: '0x4200000000000000000000000000000000000006' } }));
      vectors.push(await vector(`domain${d}_message${m}_wrong_key`, { ...base, signerKey: key(k + 1n) }));
    }
  }
}

process.stdout.write(`${JSON.stringify({
  generator: 'tests/e2e/make_eip712_vectors.mjs',
  viem: (await import('viem/package.json', { with: { type: 'json' } })).default.version,
  vectors,
}, null, 1)}\n`);
