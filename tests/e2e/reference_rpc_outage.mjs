// Runs @x402/evm 2.27's own facilitator verify, unmodified, with its RPC a closed loopback
// port, on the payment and requirements given as JSON on stdin; prints {result, abandoned} as
// JSON. In its own process because the reference leaves a promise behind when its RPC is down:
// the asset check it starts before the signature check (startAssetContractCheck()) rejects
// after verify has answered, with nobody awaiting it — an unhandled rejection, which ends a Node
// process that does not catch those. |abandoned| lists them.
import { toFacilitatorEvmSigner } from "@x402/evm";
import { ExactEvmScheme } from "@x402/evm/exact/facilitator";
import { createWalletClient, http, publicActions } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { baseSepolia } from "viem/chains";

const abandoned = [];
process.on("unhandledRejection", (error) => abandoned.push(String(error?.message ?? error).split("\n")[0]));

let input = "";
for await (const chunk of process.stdin) input += chunk;
const { payload, requirements, closedPort } = JSON.parse(input);
const operator = privateKeyToAccount(generatePrivateKey());
const wallet = createWalletClient({
  account: operator, chain: baseSepolia, transport: http(`http://127.0.0.1:${closedPort}/`, { retryCount: 0 }),
}).extend(publicActions);
const facilitator = new ExactEvmScheme(toFacilitatorEvmSigner({ ...wallet, address: operator.address,
  getCode: (args) => wallet.getCode(args) }));
let result;
try {
  result = await facilitator.verify(payload, requirements);
} catch (error) {
  result = { thrown: String(error?.message ?? error).split("\n")[0] };
}
await new Promise((resolve) => setTimeout(resolve, 200));  // let the abandoned check settle
process.stdout.write(JSON.stringify({ result, abandoned }));
