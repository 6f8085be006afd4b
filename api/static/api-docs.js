// The API documentation page (/docs): Swagger UI, from node_modules/swagger-ui-dist (served at
// /vendor/swagger-ui), started on this site's OpenAPI document. A file, not an inline script, so
// that the page runs under the same Content-Security-Policy as every other page.
(function () {
  "use strict";
  const root = document.getElementById("swagger-ui");
  window.ui = SwaggerUIBundle({
    url: root.dataset.openapiUrl,
    dom_id: "#swagger-ui",
    layout: "BaseLayout",
    deepLinking: true,
    showExtensions: true,
    showCommonExtensions: true,
    validatorUrl: null, // no badge fetched from validator.swagger.io
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIBundle.SwaggerUIStandalonePreset],
  });
})();
