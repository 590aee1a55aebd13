// Endpoints of the REST contract the backend does not serve yet, typed from the contract so
// screens can be built against them. Delete an entry as soon as `make miniapp-openapi` brings
// the path into schema.d.ts (a test fails while both define it).

export interface SummaryOut {
  id: number;
  cafe_id: number;
  cafe_name: string;
  date: string;
  total_orders: number;
  total_amount: number;
  combos_breakdown: { combo_name: string; quantity: number; total: number }[];
  items_breakdown: { category: string; menu_item_name: string; quantity: number }[];
  extras_breakdown: { menu_item_name: string; quantity: number; total: number }[];
  orders_with_notes: { user_name: string; notes: string }[];
  created_at: string;
}

export interface RecommendationsOut {
  summary: string | null;
  tips: string[];
  stats: {
    orders_last_30_days?: number;
    orders_count?: number;
    categories: Record<string, number>;
    unique_dishes: number;
    total_dishes_available?: number;
    favorite_dishes?: { name: string; count: number }[];
  };
  generated_at: string | null;
}

type Json<T> = { content: { "application/json": T } };
type ErrorJson = Json<{ detail: string; code: string }>;

export interface PendingPaths {
  "/api/v1/summaries": {
    parameters: { query?: never; header?: never; path?: never; cookie?: never };
    post: {
      parameters: { query?: never; header?: never; path?: never; cookie?: never };
      requestBody: Json<{ cafe_id: number; date: string }>;
      responses: { 200: Json<SummaryOut>; 201: Json<SummaryOut>; 400: ErrorJson; 404: ErrorJson };
    };
  };
  "/api/v1/users/{tgid}/recommendations": {
    parameters: { query?: never; header?: never; path?: never; cookie?: never };
    get: {
      parameters: { query?: never; header?: never; path: { tgid: number }; cookie?: never };
      requestBody?: never;
      responses: { 200: Json<RecommendationsOut>; 404: ErrorJson };
    };
  };
}
