// Data-parallel training on libtorch's c10d: process groups, collectives, DDP.
export { ProcessGroup, initProcessGroup, environment, isRankProcess, type ProcessGroupOptions, type ReduceOp } from './process-group.js';
export { DistributedDataParallel, type DdpOptions, type ForwardModule } from './ddp.js';
