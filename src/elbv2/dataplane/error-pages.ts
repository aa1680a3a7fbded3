/**
 * The responses the load balancer itself writes. ALB's error pages are small HTML documents
 * with `Server: awselb/2.0`; these follow their shape.
 */

const TITLES: Record<number, string> = {
  301: '301 Moved Permanently',
  302: '302 Found',
  400: '400 Bad Request',
  403: '403 Forbidden',
  404: '404 Not Found',
  500: '500 Internal Server Error',
  502: '502 Bad Gateway',
  503: '503 Service Temporarily Unavailable',
  504: '504 Gateway Time-out',
};

const pages = new Map<number, Buffer>();

export function errorPage(status: number): Buffer {
  let page = pages.get(status);
  if (!page) {
    const title = TITLES[status] ?? String(status);
    page = Buffer.from(`<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n</body>\r\n</html>\r\n`);
    pages.set(status, page);
  }
  return page;
}

export const ELB_SERVER = 'awselb/2.0';
