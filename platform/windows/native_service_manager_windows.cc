// This port's native service manager is not in this build yet; `auto` uses the direct backend.
#include "service/service_manager.h"

namespace x402 {

std::unique_ptr<ServiceManager> CreateNativeServiceManager() { return nullptr; }

}  // namespace x402
