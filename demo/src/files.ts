// Starter files for the demo tabs: small, realistic code with repeated
// patterns, so a rename or signature change has somewhere to go next.
export interface DemoFile { path: string; language: 'typescript' | 'javascript' | 'python'; text: string }

export const starterFiles: DemoFile[] = [
  {
    path: 'src/cart.ts',
    language: 'typescript',
    text: `export interface Item {
  sku: string;
  price: number;
  quantity: number;
}

export class Cart {
  private items: Item[] = [];

  add(item: Item): void {
    const existing = this.items.find((i) => i.sku === item.sku);
    if (existing) existing.quantity += item.quantity;
    else this.items.push({ ...item });
  }

  remove(sku: string): void {
    this.items = this.items.filter((i) => i.sku !== sku);
  }

  subtotal(): number {
    return this.items.reduce((sum, i) => sum + i.price * i.quantity, 0);
  }

  count(): number {
    return this.items.reduce((sum, i) => sum + i.quantity, 0);
  }
}
`,
  },
  {
    // Uses cart.ts: a rename there has somewhere to go in another tab (a cross-file jump).
    path: 'src/checkout.ts',
    language: 'typescript',
    text: `import { Cart, type Item } from './cart';

/** Adds every item and returns what the customer pays. */
export function checkout(cart: Cart, items: Item[]): number {
  for (const item of items) cart.add(item);
  return cart.subtotal();
}
`,
  },
  {
    path: 'src/api.js',
    language: 'javascript',
    text: `const BASE_URL = '/api/v1';

export async function getUser(id) {
  const res = await fetch(\`\${BASE_URL}/users/\${id}\`);
  if (!res.ok) throw new Error(\`getUser failed: \${res.status}\`);
  return res.json();
}

export async function getOrders(userId) {
  const res = await fetch(\`\${BASE_URL}/users/\${userId}/orders\`);
  if (!res.ok) throw new Error(\`getOrders failed: \${res.status}\`);
  return res.json();
}

export async function getProduct(sku) {
  const res = await fetch(\`\${BASE_URL}/products/\${sku}\`);
  if (!res.ok) throw new Error(\`getProduct failed: \${res.status}\`);
  return res.json();
}
`,
  },
  {
    path: 'app/models.py',
    language: 'python',
    text: `from dataclasses import dataclass, field


@dataclass
class Product:
    sku: str
    name: str
    price: float


@dataclass
class Order:
    order_id: int
    products: list[Product] = field(default_factory=list)

    def total(self) -> float:
        return sum(p.price for p in self.products)

    def add(self, product: Product) -> None:
        self.products.append(product)
`,
  },
];
