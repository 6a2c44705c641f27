// Generates tests/unit/data/svm_vectors.json: Solana (SVM) primitive test vectors computed by the
// libraries the npm x402 Solana clients use: base58 encodings and rejected strings (bs58), Ed25519
// signatures and verification verdicts, strict and ZIP-215 (@noble/curves; the RFC 8032 section
// 7.1 vectors are copied from the RFC text and checked against noble), the "is this 32-byte
// string an Ed25519 point" test PDAs depend on (@noble/curves, cross-checked against
// @solana/addresses), program-derived addresses (@solana/kit getProgramDerivedAddress) and
// associated token accounts (@solana-program/token findAssociatedTokenPda, for the Token and
// Token-2022 programs). The C++ Solana primitives in src/x402/svm/ are tested against these
// libraries, not against themselves.
//
//   cd tests/e2e && node make_svm_vectors.mjs > ../unit/data/svm_vectors.json
//
// Deterministic: every key, seed and message is fixed (the random-looking ones are SHA-256 of
// fixed labels) and Ed25519 signing has no randomness, so two runs print the same bytes. Every
// byte string is lowercase hex, every address base58. The generator checks what it writes
// (round trips, PDAs recomputed by hand with SHA-256, RFC signatures reproduced) and throws
// rather than print a wrong vector.
//
// On-curve semantics. Solana decides "is a PDA candidate on the curve" with curve25519-dalek's
// CompressedEdwardsY::decompress().is_some(): y is the low 255 bits read little-endian and NOT
// required to be below p = 2^255 - 19 (it is used mod p), the candidate is on the curve iff
// (y^2 - 1) / (d y^2 + 1) is a square mod p, and the sign bit is applied without checking x = 0.
// noble's ExtendedPoint.fromHex(bytes, zip215 = true) does exactly that (y < 2^255 allowed and
// reduced mod p, "x = 0 with the sign bit set" allowed), so "on_curve" is that; "on_curve_rfc8032"
// is fromHex(bytes, false) (rejects y >= p and x = 0 with the sign bit set), and
// "on_curve_solana_kit" is !isOffCurveAddress from @solana/addresses (its vendored noble code
// reduces y mod p but rejects x = 0 with the sign bit set). The three differ only on the
// non-canonical encodings listed in "on_curve"; the generator asserts "on_curve" against a
// direct BigInt transcription of dalek's decompress as well.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import bs58 from 'bs58';
import { ed25519, ED25519_TORSION_SUBGROUP } from '@noble/curves/ed25519';
import { sha256 } from '@noble/hashes/sha2';
import { bytesToHex, hexToBytes, concatBytes, utf8ToBytes } from '@noble/hashes/utils';
import { getProgramDerivedAddress, getAddressEncoder, getAddressDecoder, isOffCurveAddress } from '@solana/kit';
import { findAssociatedTokenPda, TOKEN_PROGRAM_ADDRESS, ASSOCIATED_TOKEN_PROGRAM_ADDRESS } from '@solana-program/token';
import { TOKEN_2022_PROGRAM_ADDRESS } from '@solana-program/token-2022';

// The packages close "<name>/package.json" in their "exports", so read the version from the
// package.json above the file each name resolves to (the module instance used here).
const versionOf = (name) => {
  let dir = dirname(fileURLToPath(import.meta.resolve(name)));
  for (;;) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
      if (pkg.name === name) return pkg.version;
    } catch { /* no package.json here */ }
    const up = dirname(dir);
    if (up === dir) throw new Error(`${name}: package.json not found`);
    dir = up;
  }
};

const fail = (what) => { throw new Error(what); };
const hex = (bytes) => bytesToHex(bytes);
const fromHex = (h) => hexToBytes(h);
const equalBytes = (a, b) => a.length === b.length && a.every((x, i) => x === b[i]);
// Random-looking but fixed bytes: SHA-256 chained over a label.
const fixedBytes = (label, n) => {
  const out = new Uint8Array(n);
  for (let i = 0, off = 0; off < n; i += 1, off += 32) out.set(sha256(utf8ToBytes(`x402-dev svm ${label} ${i}`)).subarray(0, Math.min(32, n - off)), off);
  return out;
};
const addressEncoder = getAddressEncoder();
const addressDecoder = getAddressDecoder();
const addressBytes = (a) => new Uint8Array(addressEncoder.encode(a));

// ---- The field arithmetic of curve25519-dalek's CompressedEdwardsY::decompress, as a check.
const P = 2n ** 255n - 19n;
const L = 2n ** 252n + 27742317777372353535851937790883648493n;
const mod = (a) => ((a % P) + P) % P;
const pow = (b, e) => { let r = 1n; b = mod(b); while (e > 0n) { if (e & 1n) r = r * b % P; b = b * b % P; e >>= 1n; } return r; };
const D = mod(-121665n * pow(121666n, P - 2n));
const leToBigInt = (bytes) => bytes.reduceRight((acc, b) => (acc << 8n) | BigInt(b), 0n);
const bigIntToLe = (n, len) => { const out = new Uint8Array(len); for (let i = 0; i < len; i += 1) { out[i] = Number(n & 0xffn); n >>= 8n; } return out; };
const dalekDecompresses = (bytes) => {
  const y = mod(leToBigInt(bytes) & (2n ** 255n - 1n)); // FieldElement::from_bytes: top bit ignored, value used mod p
  const u = mod(y * y - 1n);
  const v = mod(D * y * y + 1n);
  const w = u * pow(v, P - 2n) % P; // sqrt_ratio_i(u, v) succeeds iff u/v is a square (0 included)
  return w === 0n || pow(w, (P - 1n) / 2n) === 1n;
};
const nobleOnCurve = (bytes, zip215) => { try { ed25519.ExtendedPoint.fromHex(bytes, zip215); return true; } catch { return false; } };
const kitOnCurve = (bytes) => !isOffCurveAddress(addressDecoder.decode(bytes));

// ---- Keys: fixed 32-byte Ed25519 private keys (seeds) and their public keys.
const keypair = (label) => {
  const seed = sha256(utf8ToBytes(`x402-dev svm ${label}`));
  const publicKey = ed25519.getPublicKey(seed);
  return { label, seed, publicKey, address: bs58.encode(publicKey) };
};
const owners = [0, 1, 2, 3].map((i) => keypair(`owner ${i}`));
const signers = [0, 1, 2].map((i) => keypair(`signer ${i}`));

// ---- Ed25519. RFC 8032 section 7.1: TEST 1, TEST 2, TEST 3 and TEST 1024 (a 1023-byte message).
const RFC8032 = [
  {
    name: 'rfc8032_test_1',
    secret: '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60',
    public: 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a',
    message: '',
    signature: 'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b',
  },
  {
    name: 'rfc8032_test_2',
    secret: '4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb',
    public: '3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c',
    message: '72',
    signature: '92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00',
  },
  {
    name: 'rfc8032_test_3',
    secret: 'c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7',
    public: 'fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025',
    message: 'af82',
    signature: '6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a',
  },
  {
    name: 'rfc8032_test_1024',
    secret: 'f5e5767cf153319517630f226876b86c8160cc583bc013744c6bf255f5cc0ee5',
    public: '278117fc144c72340f67d0f2316e8386ceffbf2b2428c9c51fef7c597f1d426e',
    message: [
      '08b8b2b733424243760fe426a4b54908632110a66c2f6591eabd3345e3e4eb98fa6e264bf09efe12ee50f8f54e9f77b1',
      'e355f6c50544e23fb1433ddf73be84d879de7c0046dc4996d9e773f4bc9efe5738829adb26c81b37c93a1b270b20329d',
      '658675fc6ea534e0810a4432826bf58c941efb65d57a338bbd2e26640f89ffbc1a858efcb8550ee3a5e1998bd177e93a',
      '7363c344fe6b199ee5d02e82d522c4feba15452f80288a821a579116ec6dad2b3b310da903401aa62100ab5d1a36553e',
      '06203b33890cc9b832f79ef80560ccb9a39ce767967ed628c6ad573cb116dbefefd75499da96bd68a8a97b928a8bbc10',
      '3b6621fcde2beca1231d206be6cd9ec7aff6f6c94fcd7204ed3455c68c83f4a41da4af2b74ef5c53f1d8ac70bdcb7ed1',
      '85ce81bd84359d44254d95629e9855a94a7c1958d1f8ada5d0532ed8a5aa3fb2d17ba70eb6248e594e1a2297acbbb39d',
      '502f1a8c6eb6f1ce22b3de1a1f40cc24554119a831a9aad6079cad88425de6bde1a9187ebb6092cf67bf2b13fd65f270',
      '88d78b7e883c8759d2c4f5c65adb7553878ad575f9fad878e80a0c9ba63bcbcc2732e69485bbc9c90bfbd62481d9089b',
      'eccf80cfe2df16a2cf65bd92dd597b0707e0917af48bbb75fed413d238f5555a7a569d80c3414a8d0859dc65a46128ba',
      'b27af87a71314f318c782b23ebfe808b82b0ce26401d2e22f04d83d1255dc51addd3b75a2b1ae0784504df543af8969b',
      'e3ea7082ff7fc9888c144da2af58429ec96031dbcad3dad9af0dcbaaaf268cb8fcffead94f3c7ca495e056a9b47acdb7',
      '51fb73e666c6c655ade8297297d07ad1ba5e43f1bca32301651339e22904cc8c42f58c30c04aafdb038dda0847dd988d',
      'cda6f3bfd15c4b4c4525004aa06eeff8ca61783aacec57fb3d1f92b0fe2fd1a85f6724517b65e614ad6808d6f6ee34df',
      'f7310fdc82aebfd904b01e1dc54b2927094b2db68d6f903b68401adebf5a7e08d78ff4ef5d63653a65040cf9bfd4aca7',
      '984a74d37145986780fc0b16ac451649de6188a7dbdf191f64b5fc5e2ab47b57f7f7276cd419c17a3ca8e1b939ae49e4',
      '88acba6b965610b5480109c8b17b80e1b7b750dfc7598d5d5011fd2dcc5600a32ef5b52a1ecc820e308aa342721aac09',
      '43bf6686b64b2579376504ccc493d97e6aed3fb0f9cd71a43dd497f01f17c0e2cb3797aa2a2f256656168e6c496afc5f',
      'b93246f6b1116398a346f1a641f3b041e989f7914f90cc2c7fff357876e506b50d334ba77c225bc307ba537152f3f161',
      '0e4eafe595f6d9d90d11faa933a15ef1369546868a7f3a45a96768d40fd9d03412c091c6315cf4fde7cb68606937380d',
      'b2eaaa707b4c4185c32eddcdd306705e4dc1ffc872eeee475a64dfac86aba41c0618983f8741c5ef68d3a101e8a3b8ca',
      'c60c905c15fc910840b94c00a0b9d0',
    ].join(''),
    signature: '0aab4c900501b3e24d7cdf4663326a3a87df5e4843b2cbdb67cbf6e460fec350aa5371b1508f9f4528ecea23c436d94b5e8fcd4f681e30a6ac00a9704a188a03',
  },
];
if (RFC8032[3].message.length !== 2 * 1023) fail('rfc8032_test_1024: the message is not 1023 bytes');

const verdicts = (signature, message, publicKey) => {
  const strict = ed25519.verify(signature, message, publicKey, { zip215: false });
  const zip215 = ed25519.verify(signature, message, publicKey, { zip215: true });
  if (ed25519.verify(signature, message, publicKey) !== zip215) fail('noble: verify() default is not zip215');
  return { valid: strict, valid_strict: strict, valid_zip215: zip215 };
};
const ed25519Vectors = [];
const addSignature = (name, publicKey, message, signature, extra = {}) => {
  const v = { name, ...extra, public_key_hex: hex(publicKey), message_hex: hex(message), signature_hex: hex(signature), ...verdicts(signature, message, publicKey) };
  ed25519Vectors.push(v);
  return v;
};
for (const t of RFC8032) {
  const secret = fromHex(t.secret);
  if (hex(ed25519.getPublicKey(secret)) !== t.public) fail(`${t.name}: public key`);
  if (hex(ed25519.sign(fromHex(t.message), secret)) !== t.signature) fail(`${t.name}: signature`);
  const v = addSignature(t.name, fromHex(t.public), fromHex(t.message), fromHex(t.signature), { private_key_hex: t.secret });
  if (!v.valid_strict || !v.valid_zip215) fail(`${t.name}: does not verify`);
}

// Signed here with fixed private keys, over messages of 100 bytes and more (1232 bytes: the
// largest Solana transaction).
const signedMessages = [
  utf8ToBytes('x402-dev Solana vector: an ASCII message of more than one hundred bytes, signed with a fixed Ed25519 private key.'),
  fixedBytes('message binary', 200),
  fixedBytes('message transaction-sized', 1232),
];
const signed = signers.map((k, i) => {
  const message = signedMessages[i];
  if (message.length < 100) fail('signed message under 100 bytes');
  const signature = ed25519.sign(message, k.seed);
  if (!equalBytes(signature, ed25519.sign(message, k.seed))) fail('ed25519.sign is not deterministic');
  const v = addSignature(`noble_signed_${i}_${message.length}_bytes`, k.publicKey, message, signature, { private_key_hex: hex(k.seed) });
  if (!v.valid_strict || !v.valid_zip215) fail(`${v.name}: does not verify`);
  return { key: k, message, signature };
});

// Invalid: one bit flipped in the signature (in R, in S), in the message, in the public key;
// S replaced by S + L (the same scalar mod L, not canonical).
const flip = (bytes, byte, bit) => { const out = bytes.slice(); out[byte] ^= 1 << bit; return out; };
const base = signed[0];
const invalid = [
  ['flipped_bit_signature_r', base.key.publicKey, base.message, flip(base.signature, 3, 2)],
  ['flipped_bit_signature_s', base.key.publicKey, base.message, flip(base.signature, 40, 5)],
  ['flipped_bit_message', base.key.publicKey, flip(base.message, 17, 0), base.signature],
  ['flipped_bit_public_key', flip(base.key.publicKey, 9, 6), base.message, base.signature],
  ['flipped_bit_signature_rfc8032_test_1', fromHex(RFC8032[0].public), new Uint8Array(0), flip(fromHex(RFC8032[0].signature), 63, 0)],
];
{
  const s = leToBigInt(base.signature.subarray(32));
  if (s >= L) fail('noble produced S >= L');
  invalid.push(['non_canonical_s_plus_l', base.key.publicKey, base.message, concatBytes(base.signature.subarray(0, 32), bigIntToLe(s + L, 32))]);
}
for (const [name, publicKey, message, signature] of invalid) {
  const v = addSignature(name, publicKey, message, signature);
  if (v.valid_strict || v.valid_zip215) fail(`${name}: verifies`);
}
// Where strict and ZIP-215 part: the identity as public key and as R with S = 0 satisfies the
// verification equation for any message; RFC 8032 strict (and Solana's verify_strict) rejects a
// small-order key, ZIP-215 does not. Also with the identity's non-canonical encoding y = p + 1.
const identity = fromHex(ED25519_TORSION_SUBGROUP[0]);
const identityNonCanonical = bigIntToLe(P + 1n, 32);
const zero32 = new Uint8Array(32);
for (const [name, publicKey] of [['small_order_identity_key_identity_r_zero_s', identity], ['non_canonical_identity_key_identity_r_zero_s', identityNonCanonical]]) {
  const v = addSignature(name, publicKey, signedMessages[0], concatBytes(identity, zero32));
  if (v.valid_strict || !v.valid_zip215) fail(`${name}: expected strict false, zip215 true`);
}

// ---- Program-derived addresses, each recomputed by hand: SHA-256(seeds || bump || program ||
// "ProgramDerivedAddress") off the curve, every higher bump on it.
const PDA_MARKER = utf8ToBytes('ProgramDerivedAddress');
const SYSTEM_PROGRAM = '11111111111111111111111111111111';
const METADATA_PROGRAM = 'metaqbxxUerdq28cj1RbAWkYQm3ybzjb6a8bt518x1s';
const rejectedCandidates = []; // hashes of higher bumps: on the curve, so not PDAs
const pdaCheck = (seeds, programId, address, bump) => {
  for (let b = 255; b >= bump; b -= 1) {
    const candidate = sha256(concatBytes(...seeds, Uint8Array.of(b), addressBytes(programId), PDA_MARKER));
    const onCurve = dalekDecompresses(candidate);
    if (b === bump) {
      if (onCurve || bs58.encode(candidate) !== address) fail(`pda ${address}: not the hash of bump ${bump}`);
    } else {
      if (!onCurve) fail(`pda ${address}: bump ${b} was off the curve`);
      rejectedCandidates.push(candidate);
    }
  }
};
const pdaCases = [
  { seeds: [], program: TOKEN_PROGRAM_ADDRESS },
  { seeds: [utf8ToBytes('x402')], program: TOKEN_PROGRAM_ADDRESS },
  { seeds: [new Uint8Array(0)], program: TOKEN_PROGRAM_ADDRESS },
  { seeds: [utf8ToBytes('abc')], program: SYSTEM_PROGRAM },
  { seeds: [utf8ToBytes('a'), utf8ToBytes('b'), utf8ToBytes('c')], program: SYSTEM_PROGRAM }, // same bytes hashed: same PDA
  { seeds: [new Uint8Array(32).fill(0xff)], program: TOKEN_2022_PROGRAM_ADDRESS },
  { seeds: [utf8ToBytes('metadata'), addressBytes(METADATA_PROGRAM), addressBytes('EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v')], program: METADATA_PROGRAM },
  { seeds: [owners[0].publicKey, owners[1].publicKey], program: ASSOCIATED_TOKEN_PROGRAM_ADDRESS },
  { seeds: [fixedBytes('pda seed', 32), utf8ToBytes('escrow'), Uint8Array.of(1, 0, 0, 0, 0, 0, 0, 0)], program: TOKEN_2022_PROGRAM_ADDRESS },
  { seeds: Array.from({ length: 15 }, (_, i) => Uint8Array.of(i)), program: TOKEN_PROGRAM_ADDRESS }, // 15 seeds + the bump: the most allowed (16)
  ...Array.from({ length: 6 }, (_, i) => ({ seeds: [utf8ToBytes('bump search'), Uint8Array.of(i)], program: ASSOCIATED_TOKEN_PROGRAM_ADDRESS })),
];
const pda = [];
for (const c of pdaCases) {
  const [address, bump] = await getProgramDerivedAddress({ programAddress: c.program, seeds: c.seeds });
  pdaCheck(c.seeds, c.program, address, bump);
  pda.push({ seeds_hex: c.seeds.map(hex), program_id: c.program, address, bump });
}
if (pda[3].address !== pda[4].address) fail('pda: ["abc"] and ["a","b","c"] differ');
if (!pda.some((v) => v.bump < 254)) fail('pda: no vector with a bump below 254');

// ---- Associated token accounts: 4 owners for each mint, with the mint's token program.
const MINTS = [
  { name: 'USDC devnet', mint: '4zMMC9srt5Ri5X14GAgXhaHii3GnPAEERYPJgZJDncDU', program: TOKEN_PROGRAM_ADDRESS },
  { name: 'USDC mainnet', mint: 'EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v', program: TOKEN_PROGRAM_ADDRESS },
  { name: 'PYUSD mainnet', mint: '2b1kV6DkPAnxd5ixfnxCpjxmKwqjjaYmCZfHsFu24GXo', program: TOKEN_2022_PROGRAM_ADDRESS },
  { name: 'USDG mainnet', mint: '2u1tszSeqZ3qBWF3uNGPFc8TzMk2tdiwknnRMWGWjGWH', program: TOKEN_2022_PROGRAM_ADDRESS },
];
const ata = [];
for (const m of MINTS) {
  for (const o of owners) {
    const [address, bump] = await findAssociatedTokenPda({ owner: o.address, tokenProgram: m.program, mint: m.mint });
    const seeds = [o.publicKey, addressBytes(m.program), addressBytes(m.mint)];
    pdaCheck(seeds, ASSOCIATED_TOKEN_PROGRAM_ADDRESS, address, bump);
    ata.push({ owner: o.address, mint: m.mint, token_program: m.program, address, bump });
  }
}

// ---- Base58.
const base58Inputs = [
  ['empty', new Uint8Array(0)],
  ['one_zero_byte', Uint8Array.of(0)],
  ['two_zero_bytes', Uint8Array.of(0, 0)],
  ['five_zero_bytes', new Uint8Array(5)],
  ['leading_zeros_then_data', Uint8Array.of(0, 0, 0, 1, 2, 3, 4, 5)],
  ['one_byte_ff', Uint8Array.of(0xff)],
  ['zero_then_ff', Uint8Array.of(0, 0xff)],
  ['value_57_last_one_digit', Uint8Array.of(57)],
  ['value_58_first_two_digits', Uint8Array.of(58)],
  ['zero_then_value_58', Uint8Array.of(0, 58)],
  ['value_256', Uint8Array.of(1, 0)],
  ['value_3363_last_two_digits', Uint8Array.of(0x0d, 0x23)],
  ['value_3364_first_three_digits', Uint8Array.of(0x0d, 0x24)],
  ['value_58_pow_10_minus_1', bigIntToLe(58n ** 10n - 1n, 8).reverse()],
  ['value_58_pow_10', bigIntToLe(58n ** 10n, 8).reverse()],
  ['system_program_32_zero_bytes', addressBytes(SYSTEM_PROGRAM)],
  ['token_program', addressBytes(TOKEN_PROGRAM_ADDRESS)],
  ['token_2022_program', addressBytes(TOKEN_2022_PROGRAM_ADDRESS)],
  ['associated_token_program', addressBytes(ASSOCIATED_TOKEN_PROGRAM_ADDRESS)],
  ['usdc_mainnet_mint', addressBytes(MINTS[1].mint)],
  ['fixed_key_a', fixedBytes('base58 key a', 32)],
  ['fixed_key_b', fixedBytes('base58 key b', 32)],
  ['fixed_key_c', fixedBytes('base58 key c', 32)],
  ['key_two_leading_zero_bytes', concatBytes(Uint8Array.of(0, 0), fixedBytes('base58 key d', 30))],
  ['key_32_bytes_ff', new Uint8Array(32).fill(0xff)],
  ['key_32_bytes_small_value', concatBytes(new Uint8Array(31), Uint8Array.of(1))],
  ['owner_0_public_key', owners[0].publicKey],
  ['signature_64_bytes', signed[0].signature],
  ['signature_rfc8032_test_1', fromHex(RFC8032[0].signature)],
  ['bytes_64_ff', new Uint8Array(64).fill(0xff)],
  ['bytes_100', fixedBytes('base58 long', 100)],
];
const base58 = base58Inputs.map(([name, bytes]) => {
  const encoded = bs58.encode(bytes);
  if (!equalBytes(bs58.decode(encoded), bytes)) fail(`base58 ${name}: no round trip`);
  return { name, hex: hex(bytes), base58: encoded };
});
const expectBase58 = { value_57_last_one_digit: 'z', value_58_first_two_digits: '21', value_3363_last_two_digits: 'zz', value_3364_first_three_digits: '211', one_zero_byte: '1', system_program_32_zero_bytes: SYSTEM_PROGRAM };
for (const [name, want] of Object.entries(expectBase58)) if (base58.find((v) => v.name === name).base58 !== want) fail(`base58 ${name}`);

// Strings bs58.decode throws on (it returns an empty array for "", so "" is not here).
const base58Invalid = [
  '0', 'O', 'I', 'l', '0OIl', 'abc0', 'abcO', 'abcI', 'abcl', '1111111111111111111111111111111O',
  ' ', ' 1', '1 ', 'ab cd', '\t1', '1\n', '+', '-', '/', '=', '_', '.',
  '\u0000', '1\u0000', '\u00e9', '1\u00e9', '\u00ff', '\u20ac', '\u0131', '\ud83d\ude00', 'z\u00c0',
];
for (const s of base58Invalid) {
  let rejected = false;
  try { bs58.decode(s); } catch { rejected = true; }
  if (!rejected) fail(`base58_invalid: bs58 accepts ${JSON.stringify(s)}`);
}
{
  let emptyAccepted = false;
  try { emptyAccepted = bs58.decode('').length === 0; } catch { /* rejected */ }
  if (!emptyAccepted) fail('bs58 no longer decodes "" to no bytes: add it to base58_invalid');
}

// ---- On curve.
const onCurveInputs = [];
const addPoint = (name, bytes) => onCurveInputs.push([name, bytes]);
for (const t of RFC8032) addPoint(`${t.name}_public_key`, fromHex(t.public));
owners.forEach((o, i) => addPoint(`owner_${i}_public_key`, o.publicKey));
signers.forEach((s, i) => addPoint(`signer_${i}_public_key`, s.publicKey));
addPoint('system_program', addressBytes(SYSTEM_PROGRAM));
addPoint('token_program', addressBytes(TOKEN_PROGRAM_ADDRESS));
addPoint('token_2022_program', addressBytes(TOKEN_2022_PROGRAM_ADDRESS));
addPoint('associated_token_program', addressBytes(ASSOCIATED_TOKEN_PROGRAM_ADDRESS));
for (const m of MINTS) addPoint(`mint_${m.name.toLowerCase().replace(/ /g, '_')}`, addressBytes(m.mint));
pda.forEach((v, i) => addPoint(`pda_${i}`, addressBytes(v.address)));
ata.forEach((v, i) => addPoint(`ata_${i}`, addressBytes(v.address)));
rejectedCandidates.slice(0, 8).forEach((c, i) => addPoint(`pda_rejected_bump_candidate_${i}`, c));
ED25519_TORSION_SUBGROUP.forEach((h, i) => addPoint(`torsion_point_${i}${i === 0 ? '_identity' : ''}`, fromHex(h)));
addPoint('identity_with_sign_bit', bigIntToLe(1n | (1n << 255n), 32));
addPoint('minus_identity_with_sign_bit', bigIntToLe((P - 1n) | (1n << 255n), 32));
for (let k = 0n; k <= 18n; k += 1n) {
  addPoint(`y_${k}`, bigIntToLe(k, 32));
  addPoint(`y_p_plus_${k}_non_canonical`, bigIntToLe(P + k, 32));
  addPoint(`y_p_plus_${k}_non_canonical_with_sign_bit`, bigIntToLe((P + k) | (1n << 255n), 32));
}
addPoint('fixed_bytes_a', fixedBytes('on curve a', 32));
addPoint('fixed_bytes_b', fixedBytes('on curve b', 32));
const seen = new Set();
const onCurve = [];
for (const [name, bytes] of onCurveInputs) {
  const h = hex(bytes);
  if (seen.has(h)) continue;
  seen.add(h);
  const v = { name, hex: h, on_curve: nobleOnCurve(bytes, true), on_curve_rfc8032: nobleOnCurve(bytes, false), on_curve_solana_kit: kitOnCurve(bytes) };
  if (v.on_curve !== dalekDecompresses(bytes)) fail(`on_curve ${name}: noble zip215 and dalek's decompress disagree`);
  if ((name.startsWith('pda_') || name.startsWith('ata_')) && !name.startsWith('pda_rejected') && (v.on_curve || v.on_curve_rfc8032 || v.on_curve_solana_kit)) fail(`${name}: a PDA on the curve`);
  if (name.startsWith('pda_rejected') && !v.on_curve) fail(`${name}: off the curve`);
  if (/public_key$/.test(name) && !(v.on_curve && v.on_curve_rfc8032 && v.on_curve_solana_kit)) fail(`${name}: a public key off the curve`);
  onCurve.push(v);
}

process.stdout.write(`${JSON.stringify({
  generator: 'tests/e2e/make_svm_vectors.mjs',
  versions: Object.fromEntries(['bs58', '@noble/curves', '@noble/hashes', '@solana/kit', '@solana/addresses', '@solana-program/token', '@solana-program/token-2022'].map((n) => [n, versionOf(n)])),
  on_curve_check: 'on_curve: @noble/curves ed25519.ExtendedPoint.fromHex(bytes, true) (zip215) does not throw, the same as curve25519-dalek CompressedEdwardsY::decompress().is_some(); on_curve_rfc8032: fromHex(bytes, false); on_curve_solana_kit: !isOffCurveAddress (@solana/addresses)',
  keypairs: [...owners, ...signers].map((k) => ({ name: k.label.replace(/ /g, '_'), private_key_hex: hex(k.seed), public_key_hex: hex(k.publicKey), address: k.address })),
  base58,
  base58_invalid: base58Invalid,
  ed25519: ed25519Vectors,
  on_curve: onCurve,
  pda,
  ata,
}, null, 1)}\n`);
