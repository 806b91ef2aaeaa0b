/**
 * The estate's network plan (the portal's docs/estate-plan.md#network-plan): one VPC 10.0.0.0/13, a /22 block per tier
 * (public, app, database, admin), each split into a spare /24 and three /24
 * subnets, one per availability zone; the odd /22 blocks are spare capacity.
 * Five addresses of every subnet are reserved (network, VPC router, DNS,
 * future use, broadcast), so a /24 has 251 usable addresses.
 *
 * A new subnet must lie inside the VPC, inside its tier's spare capacity (or
 * a spare /22), overlap no planned or already rendered subnet, and hold the
 * hosts asked for once the reserved addresses are taken.
 */
import { InputError } from '@backstage/errors';
import ipaddr from 'ipaddr.js';

/** A tier of the network plan; each has its own /22 block. @public */
export type NetworkTier = 'public' | 'app' | 'database' | 'admin';

type Cidr = { cidr: string; purpose: string };

/** The estate's VPC (see the portal's docs/estate-plan.md#network-plan). @public */
export const VPC_CIDR = '10.0.0.0/13';

/** Reserved addresses per subnet (AWS: network, router, DNS, future, broadcast). */
export const RESERVED_ADDRESSES_PER_SUBNET = 5;

const TIER_BLOCKS: Record<NetworkTier, string> = {
  public: '10.6.0.0/22',
  app: '10.4.0.0/22',
  database: '10.2.0.0/22',
  admin: '10.0.0.0/22',
};

/** The subnets the plan already uses: three AZ /24s per tier. */
export const PLANNED_SUBNETS: Cidr[] = Object.entries(TIER_BLOCKS).flatMap(
  ([tier, block]) => {
    const [base] = ipaddr.parseCIDR(block);
    const [a, b] = (base as ipaddr.IPv4).octets;
    return [1, 2, 3].map(az => ({
      cidr: `${a}.${b}.${az}.0/24`,
      purpose: `${tier} subnet, availability zone ${az}`,
    }));
  },
);

/** Where new subnets of a tier may go: its spare /24 and the spare /22 blocks. */
export function spareCapacity(tier: NetworkTier): string[] {
  const [base] = ipaddr.parseCIDR(TIER_BLOCKS[tier]);
  const [a, b] = (base as ipaddr.IPv4).octets;
  return [
    `${a}.${b}.0.0/24`,
    '10.1.0.0/22',
    '10.3.0.0/22',
    '10.5.0.0/22',
    '10.7.0.0/22',
  ];
}

function range(cidr: string): [number, number] {
  const [address, prefix] = ipaddr.IPv4.parseCIDR(cidr);
  const start = address
    .toByteArray()
    .reduce((value, octet) => value * 256 + octet, 0);
  const size = 2 ** (32 - prefix);
  return [start - (start % size), start - (start % size) + size - 1];
}

function toAddress(value: number): string {
  return [24, 16, 8, 0]
    .map(shift => Math.floor(value / 2 ** shift) % 256)
    .join('.');
}

function contains(outer: string, inner: string): boolean {
  const [os, oe] = range(outer);
  const [is, ie] = range(inner);
  return is >= os && ie <= oe;
}

function overlaps(a: string, b: string): boolean {
  const [as, ae] = range(a);
  const [bs, be] = range(b);
  return as <= be && bs <= ae;
}

/** A subnet that fits the plan, as {@link checkSubnet} returns it. @public */
export type SubnetCheck = {
  cidr: string;
  tier: NetworkTier;
  addresses: number;
  usableAddresses: number;
  /** The first address a host may take (network + 4) and the last (broadcast - 1). */
  firstUsable: string;
  lastUsable: string;
};

/**
 * Checks a requested subnet against the plan and the subnets already in the
 * repository (`existing`, CIDRs found in its Terraform). Throws an
 * `InputError` naming `field` when it does not fit.
 *
 * @public
 */
export function checkSubnet(options: {
  field: string;
  cidr: string;
  tier: NetworkTier;
  hosts?: number;
  existing?: string[];
}): SubnetCheck {
  const { field, tier } = options;
  if (!ipaddr.IPv4.isValidCIDR(options.cidr)) {
    throw new InputError(
      `${field} must be an IPv4 CIDR such as 10.4.0.0/26, got ${JSON.stringify(
        options.cidr,
      )}`,
    );
  }
  const [address, prefix] = ipaddr.IPv4.parseCIDR(options.cidr);
  const cidr = `${toAddress(range(options.cidr)[0])}/${prefix}`;
  if (cidr !== `${address.toString()}/${prefix}`) {
    throw new InputError(
      `${field} ${options.cidr} is not aligned on its prefix; did you mean ${cidr}?`,
    );
  }
  if (prefix < 16 || prefix > 28) {
    throw new InputError(
      `${field} must be between a /16 and a /28 (the VPC's limits), got /${prefix}`,
    );
  }
  if (!contains(VPC_CIDR, cidr)) {
    throw new InputError(`${field} ${cidr} is outside the VPC ${VPC_CIDR}`);
  }
  const planned = PLANNED_SUBNETS.find(s => overlaps(s.cidr, cidr));
  if (planned) {
    throw new InputError(
      `${field} ${cidr} overlaps ${planned.cidr} (${planned.purpose})`,
    );
  }
  const taken = (options.existing ?? []).find(existing =>
    overlaps(existing, cidr),
  );
  if (taken) {
    throw new InputError(
      `${field} ${cidr} overlaps ${taken}, already declared in this repository`,
    );
  }
  const spare = spareCapacity(tier);
  if (!spare.some(block => contains(block, cidr))) {
    throw new InputError(
      `${field} ${cidr} is not in the spare capacity of the ${tier} tier (${spare.join(
        ', ',
      )})`,
    );
  }
  const [start, end] = range(cidr);
  const addresses = end - start + 1;
  const usableAddresses = addresses - RESERVED_ADDRESSES_PER_SUBNET;
  if (options.hosts !== undefined && options.hosts > usableAddresses) {
    throw new InputError(
      `${field} ${cidr} has ${usableAddresses} usable addresses (${addresses} less ${RESERVED_ADDRESSES_PER_SUBNET} reserved), fewer than the ${options.hosts} hosts asked for`,
    );
  }
  return {
    cidr,
    tier,
    addresses,
    usableAddresses,
    firstUsable: toAddress(start + 4),
    lastUsable: toAddress(end - 1),
  };
}
