#include "x402/scheme.h"

#include "x402/evm/exact/exact_evm_scheme.h"
#include "x402/evm/upto/upto_evm_scheme.h"
#include "x402/svm/exact/exact_svm_scheme.h"

namespace x402 {

SchemeRegistry::SchemeRegistry(std::vector<std::unique_ptr<Scheme>> schemes)
    : schemes_(std::move(schemes)) {}

const Scheme* SchemeRegistry::Find(std::string_view name, std::string_view family) const {
  for (const auto& scheme : schemes_) {
    if (scheme->name() == name && scheme->family() == family) return scheme.get();
  }
  return nullptr;
}

const SchemeRegistry& SchemeRegistry::BuiltIn() {
  // Every scheme x402-dev speaks: one line each (docs/development.md, "How to add a scheme").
  static const SchemeRegistry registry = [] {
    std::vector<std::unique_ptr<Scheme>> schemes;
    schemes.push_back(evm::CreateExactEvmScheme());
    schemes.push_back(evm::CreateUptoEvmScheme());
    schemes.push_back(svm::CreateExactSvmScheme());
    return SchemeRegistry(std::move(schemes));
  }();
  return registry;
}

}  // namespace x402
