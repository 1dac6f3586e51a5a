import {
  defineMiddlewares,
  validateAndTransformBody,
  validateAndTransformQuery,
} from "@medusajs/framework/http"
import { loadAppConfig, observabilitySettings } from "../lib/config"
import { boundDatabasePool } from "../lib/database-pool"
import { requestId } from "../lib/request-id"
import { restErrorHandler } from "./error-handler"
import { answerPurgeFence } from "./answer-purge-fence"
import { requireBearerToken } from "./metrics/bearer-token"
import { authenticateAdminFromAdminOrigins } from "./graphql/admin-auth"
import { graphqlBodyLimit } from "./graphql/body-limit"
import { validateImageVariant } from "./images/variant-params"
import { listBrandsQueryConfig, retrieveBrandQueryConfig } from "./admin/brands/query-config"
import {
  AdminCreateBrand,
  AdminGetBrandParams,
  AdminGetBrandsParams,
  AdminUpdateBrand,
  ProductBrandAdditionalData,
} from "./admin/brands/validators"

export default defineMiddlewares({
  // Medusa's, with 503 database_unavailable while PostgreSQL is out of reach.
  errorHandler: restErrorHandler,
  routes: [
    {
      // Every request gets an id (X-Request-Id), for the logs; the pool fails fast while PostgreSQL is down.
      matcher: "/*",
      middlewares: [requestId, boundDatabasePool],
    },
    {
      // An admin write answers only once the GraphQL answers it may have changed are out of reach.
      matcher: "/admin/*",
      middlewares: [answerPurgeFence],
    },
    {
      // Prometheus metrics: only for the holder of METRICS_TOKEN; without one, no such route.
      matcher: "/metrics",
      middlewares: [requireBearerToken(() => observabilitySettings().metricsToken)],
    },
    {
      // The GraphQL server parses the body itself (any GraphQL content type),
      // read here up to its size limit; auth is optional here and decides
      // what the caller sees.
      matcher: "/graphql",
      bodyParser: false,
      middlewares: [
        graphqlBodyLimit(() => loadAppConfig().graphql),
        // Admin credentials count only from admin origins, or from outside a browser.
        authenticateAdminFromAdminOrigins(),
      ],
    },
    {
      // A transformed product image: a URL the API signed, or 403/404 before anything is read.
      matcher: "/images/:signature/:size/:file",
      method: ["GET"],
      middlewares: [validateImageVariant],
    },
    {
      matcher: "/admin/brands",
      method: ["GET"],
      middlewares: [validateAndTransformQuery(AdminGetBrandsParams, listBrandsQueryConfig)],
    },
    {
      matcher: "/admin/brands",
      method: ["POST"],
      middlewares: [
        validateAndTransformBody(AdminCreateBrand),
        validateAndTransformQuery(AdminGetBrandParams, retrieveBrandQueryConfig),
      ],
    },
    {
      matcher: "/admin/brands/:id",
      method: ["GET"],
      middlewares: [validateAndTransformQuery(AdminGetBrandParams, retrieveBrandQueryConfig)],
    },
    {
      matcher: "/admin/brands/:id",
      method: ["POST"],
      middlewares: [
        validateAndTransformBody(AdminUpdateBrand),
        validateAndTransformQuery(AdminGetBrandParams, retrieveBrandQueryConfig),
      ],
    },
    {
      matcher: "/admin/products",
      method: ["POST"],
      additionalDataValidator: ProductBrandAdditionalData.create,
    },
    {
      matcher: "/admin/products/:id",
      method: ["POST"],
      additionalDataValidator: ProductBrandAdditionalData.update,
    },
  ],
})
